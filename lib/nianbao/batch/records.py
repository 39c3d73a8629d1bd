"""The two messages of a batch: the task a worker is given and the record it hands back.

A ``ReportTask`` says everything a worker needs to audit one report — which file, with which
notebook and configuration, under which time limit, and the hashes the record must carry.
A worker that does not share the client's disk (a Dask worker on another machine) also gets the
bytes of those files in ``payload``, with the review decisions of its report (for the page's
review cell), and hands the outputs back in ``ReportRecord.files``; the client writes them into
the batch folder. A ``ReportRecord`` is one entry of ``manifest.json``
(read back by ``nianbao.batchfolder``): its JSON is the format the manifest has always had, and
keys it does not know (written by a newer version) are kept as they were.
"""
from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field, fields, replace

#: What a worker makes for a report, by output kind (the names inside ``OUT_DIR/<id>/``).
OUTPUT_FILES = {"ipynb": "audit.ipynb", "html": "audit.html", "json": "result.json"}


@dataclass(frozen=True)
class ReportTask:
    """One report to audit. Paths are the client's; ``payload`` (input, notebook and
    configuration bytes, and the review file's lines about this report, by those names) is set
    when the worker may not see them."""

    id: str
    file: str
    input: str
    out_dir: str
    notebook: str
    timeout: int
    sha256: str
    config_hash: str
    tool: str
    tool_version: str
    config_path: str | None = None
    published: str | None = None
    git_commit: str | None = None
    fork: bool = False
    review_path: str | None = None  # the review decisions (nianbao.review), for the page
    review: str | None = None  # digest of this report's decisions when the task was planned
    review_key: str | None = None  # whose decisions: the report identity of its last audit
    max_memory_mb: int = 0
    payload: dict[str, bytes] | None = None

    @property
    def shipped(self) -> bool:
        """The worker works in a scratch folder of its own and sends the outputs back."""
        return self.payload is not None

    def to_json(self) -> str:
        d = asdict(self)
        if self.payload is not None:
            d["payload"] = {k: base64.b64encode(v).decode("ascii") for k, v in self.payload.items()}
        return json.dumps(d, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ReportTask:
        d = json.loads(text)
        if d.get("payload") is not None:
            d["payload"] = {k: base64.b64decode(v) for k, v in d["payload"].items()}
        return cls(**d)

    def with_payload(self, review: bytes | None = None) -> ReportTask:
        """This task carrying the bytes of its input, notebook and configuration, and
        ``review``: the review file as the worker is to see it (``BatchReview.text``)."""
        from pathlib import Path

        payload = {"input": Path(self.input).read_bytes(),
                   "notebook": Path(self.notebook).read_bytes()}
        if self.config_path:
            payload["config"] = Path(self.config_path).read_bytes()
        if review is not None:
            payload["review"] = review
        return replace(self, payload=payload)


@dataclass
class ReportRecord:
    """What happened to one report: an entry of ``manifest.json``.

    ``outputs`` maps an output kind (``OUTPUT_FILES``) to its path relative to the batch folder;
    ``files`` (not part of the manifest) carries the outputs' bytes from a worker that wrote them
    in a scratch folder of its own; ``extra`` keeps keys of a manifest entry this class does not
    know, so that a record read back and written again loses nothing.
    """

    id: str
    file: str
    input: str
    status: str
    error: str | None = None
    failure: str | None = None  # unreadable | memory | timeout | internal, for a failed report
    summary: dict | None = None
    duration: float | None = None
    sha256: str | None = None
    config_hash: str | None = None
    tool: str | None = None
    tool_version: str | None = None
    git_commit: str | None = None
    timeout: int | None = None
    parameters: dict = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    skipped: bool = False
    review: str | None = None  # digest of the review decisions the page shows
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    extra: dict = field(default_factory=dict, repr=False)

    _NOT_IN_JSON = ("files", "extra")

    def to_dict(self) -> dict:
        """The manifest entry (JSON-ready)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)
             if f.name not in self._NOT_IN_JSON}
        return {**d, **{k: v for k, v in self.extra.items() if k not in d}}

    @classmethod
    def from_dict(cls, d: dict) -> ReportRecord:
        """A manifest entry; raises ``KeyError``/``TypeError`` when it is not one."""
        names = {f.name for f in fields(cls)} - set(cls._NOT_IN_JSON)
        known = {k: v for k, v in d.items() if k in names}
        rec = cls(**known, extra={k: v for k, v in d.items() if k not in names})
        if not isinstance(rec.id, str) or not isinstance(rec.outputs or {}, dict):
            raise TypeError("not a report record")
        rec.outputs = dict(rec.outputs or {})
        rec.parameters = dict(rec.parameters or {})
        return rec

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str) -> ReportRecord:
        return cls.from_dict(json.loads(text))

    @classmethod
    def worker_died(cls, task: ReportTask, reason: str) -> ReportRecord:
        """The record of a report whose worker raised or died (the report is failed)."""
        return cls(id=task.id, file=task.file, input=task.input, status="failed", error=reason,
                   sha256=task.sha256, config_hash=task.config_hash, tool=task.tool,
                   tool_version=task.tool_version, git_commit=task.git_commit,
                   timeout=task.timeout)
