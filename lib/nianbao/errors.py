"""The one exception users see: an input that cannot be audited, with a one-line reason."""
from __future__ import annotations


class InputError(Exception):
    """The input could not be read as an annual report.

    ``str(err)`` is the one line shown to the user: the file, then what is wrong with it. The
    CLI prints it and exits 2; the batch records it as the report's failure reason.
    """

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
