"""An OCRmyPDF plugin (loaded by the `ocrmypdf` command, in its own Python): writes "done total"
of the OCR step to the file named by ANCUU_OCR_PROGRESS, for the job to show "trang 3/12".

It imports nothing of the application: it runs in OCRmyPDF's interpreter.
"""

import os

from ocrmypdf import hookimpl


class _Progress:
    def __init__(self, *args, total=None, desc=None, **kwargs):
        self.total, self.desc, self.done = total, str(desc or ""), 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1, *, completed=None):
        self.done = completed if completed is not None else self.done + (n or 0)
        path = os.environ.get("ANCUU_OCR_PROGRESS")
        if path and self.desc.lower().startswith("ocr") and self.total:
            with open(path + ".tmp", "w") as out:
                out.write(f"{int(self.done)} {int(self.total)}")
            os.replace(path + ".tmp", path)


@hookimpl
def get_progressbar_class():
    return _Progress
