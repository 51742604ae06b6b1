"""Entry point for `flask --app app` and WSGI servers (gunicorn: deploy/gunicorn.conf.py).

ANCUU_INSTANCE_PATH puts the instance folder (database, secret key, index, trust roots)
elsewhere than ./instance, as a service installed apart from its code wants."""

import os

from ancuu_docs import create_app

app = create_app(instance_path=os.environ.get("ANCUU_INSTANCE_PATH") or None)
