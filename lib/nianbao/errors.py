"""The one exception users see, and the exit statuses of the command line.

Each exit status means one thing, so that scripts and CI can tell a report with defects from a
broken run: ``EXIT_OK`` no error-severity finding, ``EXIT_FINDINGS`` error findings (or, for a
batch, a report that failed), ``EXIT_INPUT`` the input cannot be read (an ``InputError``: a bad
file, a limit passed, a wrong command line or configuration), ``EXIT_INTERNAL`` a failure of
nianbao itself (a bug: the traceback goes to a log file, one line to stderr names it).
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class InputError(Exception):
    """The input could not be read as an annual report.

    ``str(err)`` is the one line shown to the user: the file, then what is wrong with it. The
    CLI prints it and exits 2; the batch records it as the report's failure reason.
    """

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
