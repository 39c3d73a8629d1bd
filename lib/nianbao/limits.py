"""Limits on what one input may make nianbao do, checked before the work they bound.

An annual report is a few pages: the 71 real reports of the corpus have at most 6 PDF pages,
8 tables, 207 lines, lines of 6,000 characters and numbers of 17 digits. A file far beyond that
is not a report but an accident or an attack (a ``gridSpan`` of 10^9, a 1 GB content stream,
10,000 tables), and reading it whole would cost minutes and gigabytes. So each reader checks
the sizes it can see *before* it does the work they drive — the file size before reading it,
the declared size of a .docx part before unpacking it, the page count and content-stream sizes
of a PDF before laying out a page, the table count of a page before walking it — and the
extracted text is checked (lines, characters per line, digits per number) before parsing.

Past a limit the input is refused like any unreadable input (``LimitError`` is an
``InputError``: one line, exit 2) and the line names the limit (``limits.max_pages``), so a
user with a genuinely large report knows which key to raise in ``--config``. The values live
in the ``limits:`` section of ``default_config.yaml`` (one source; docs/limits.md explains
each). The limits in force are held in a context variable set by ``applied()``, so that the
readers do not have to pass them through every function.
"""
from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace  # noqa: F401 — limits.replace(lim, key=value)

from .errors import InputError


@dataclass(frozen=True)
class Limits:
    """One field per key of the ``limits:`` section (see default_config.yaml)."""

    max_file_mb: int
    max_unpacked_mb: int
    max_part_mb: int
    max_pages: int
    max_content_mb: int
    max_pdf_chars: int
    max_tables: int
    max_rows: int
    max_span: int
    max_text_chars: int
    max_lines: int
    max_line_chars: int
    max_number_digits: int
    max_memory_mb: int

    @classmethod
    def from_config(cls, section: dict) -> "Limits":
        return cls(**{f.name: section[f.name] for f in fields(cls)})


def keys() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Limits))


class LimitError(InputError):
    """An input past one of the limits; ``limit`` is the key (``max_pages``)."""

    def __init__(self, path, limit: str, actual, allowed):
        self.limit = limit
        super().__init__(path, f"超出限制 limits.{limit}={allowed}（实际 {actual}） / "
                               f"over the limit limits.{limit}={allowed} (found {actual}); "
                               "raise it with --config if this really is a report")


_CURRENT: ContextVar[Limits | None] = ContextVar("nianbao_limits", default=None)


def default() -> Limits:
    from .config import defaults

    return Limits.from_config(defaults()["limits"])


def current() -> Limits:
    """The limits in force: those set by ``applied()``, else the packaged defaults."""
    return _CURRENT.get() or default()


@contextlib.contextmanager
def applied(limits: Limits | dict | None):
    """Make ``limits`` (a ``Limits``, a ``limits:`` mapping, or None for the defaults) the
    limits in force inside the ``with`` block."""
    if isinstance(limits, dict):
        limits = Limits.from_config(limits)
    token = _CURRENT.set(limits or current())
    try:
        yield
    finally:
        _CURRENT.reset(token)


def check(path, limit: str, actual: int, scale: int = 1) -> None:
    """Raise ``LimitError`` when ``actual`` exceeds the limit ``limit`` (times ``scale``: the
    ``_mb`` limits are checked against bytes with ``scale=2**20``)."""
    allowed = getattr(current(), limit)
    if actual > allowed * scale:
        shown = f"{actual / scale:.1f}" if scale > 1 else actual
        raise LimitError(path, limit, shown, allowed)


def check_text(path, text: str) -> None:
    """The checks every extracted text passes before parsing: characters, lines, characters
    per line, digits per number. One linear pass each (no regex backtracking: a run of digits
    is measured by a single ``\\d{k}`` probe)."""
    lim = current()
    check(path, "max_text_chars", len(text))
    lines = text.count("\n") + 1
    check(path, "max_lines", lines)
    longest = max(map(len, text.split("\n")), default=0)
    check(path, "max_line_chars", longest)
    k = lim.max_number_digits + 1
    m = re.search(rf"\d{{{k}}}", text)
    if m:
        end = m.end()
        while end < len(text) and text[end].isdecimal():
            end += 1
        raise LimitError(path, "max_number_digits", end - m.start(), lim.max_number_digits)


def _address_space() -> int:
    """Bytes of address space this process holds now (Linux ``/proc``; 0 where unknown)."""
    try:
        import os

        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def cap_memory(mb: int | None):
    """Cap this process's address space at ``mb`` MB (``RLIMIT_AS``; 0 or None: no cap), so
    that an input which still gets past the size limits ends in a ``MemoryError`` — reported
    as "over the memory limit" — instead of taking the machine's memory. Only lowers the soft
    limit; returns a function that puts it back (a caller that runs the CLI in-process, such as
    a test, must not leave its own process — and the browsers it starts — capped). The ceiling
    is counted on top of the address space the process already holds: a fresh CLI holds little,
    but an in-process caller that has loaded the OCR engine (the OCR runtime's threads reserve
    hundreds of MB) can already be past ``mb``, and a cap below that fails every allocation."""
    limit = address_space_limit(mb, already=_address_space())
    if limit is None:
        return lambda: None
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, limit)
    return lambda: resource.setrlimit(resource.RLIMIT_AS, before)


def address_space_limit(mb: int | None, already: int = 0) -> tuple[int, int] | None:
    """The ``RLIMIT_AS`` pair (soft, hard) that caps a process's address space at ``mb`` MB:
    None for no cap (``mb`` 0 or None, no ``resource`` module on this platform — the size
    limits still hold — or a current limit already as low). Only the soft limit is lowered.
    ``already``: bytes held now, added to the ceiling (the CLI's own process). Used by the CLI
    for itself and by the batch for its kernels."""
    if not mb:
        return None
    try:
        import resource
    except ImportError:
        return None
    want = int(mb) * 2**20 + already
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft != resource.RLIM_INFINITY and want >= soft:
        return None
    return want, hard
