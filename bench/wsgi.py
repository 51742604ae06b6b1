"""The application for gunicorn in the benchmarks: `BENCH_INSTANCE` names its instance folder."""

import os

from ancuu_docs import create_app

instance = os.environ["BENCH_INSTANCE"]
app = create_app({"UPLOAD_FOLDER": os.path.join(instance, "uploads")}, instance_path=instance)
