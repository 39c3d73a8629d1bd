"""A batch worker's set-up: import the heavy modules once per worker process, not per report,
and say where its kernels come from (the batch's zygote, or one of its own)."""
from __future__ import annotations

import sys

from .kernels import ProjectKernelManager, batch_kernel_name


def _skip_iri_format_check() -> None:
    """jsonschema (imported by nbformat) imports ``rfc3987_syntax`` when it is installed, only to
    offer an "iri" format check, and that import builds a Lark grammar: about 1 s of CPU in
    every process that imports nbformat. Nothing in the batch checks formats (nbformat validates
    notebooks with a plain ``Draft4Validator``), so the batch's own processes (its workers, and
    the parent when run from the command line) go without that optional check. A process that
    has already imported jsonschema is left as it is."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # "import rfc3987_syntax" now fails


def warm_worker(fork: bool = False, zygote_address: str | None = None,
                warm_up_slots=None, die_with_parent: bool = False) -> None:
    """Pool initializer: import the heavy modules once per worker process, not per report, and
    say where kernels come from: the batch's zygote (``zygote_address``) or one of its own.

    ``die_with_parent`` (the local pool's workers): the worker is killed when the batch process
    dies, and its kernel with it. A spawn worker does not notice its parent's death by itself:
    it holds both ends of its queue's pipe, so its read never ends (docs/batch.md).

    ``warm_up_slots`` (a semaphore shared by the pool's workers) bounds how many workers import
    at the same time: the zygote's preload, which every first report waits for, then keeps a core
    to itself instead of sharing it with every worker's imports."""
    import contextlib
    import logging

    if die_with_parent:
        import multiprocessing

        from .lifeline import die_with_parent as tie

        parent = multiprocessing.parent_process()
        if parent is not None and parent.pid:
            tie(parent.pid)

    logging.getLogger("papermill").setLevel(logging.ERROR)  # "unknown parameter" chatter
    _skip_iri_format_check()
    with warm_up_slots or contextlib.nullcontext():
        import nbformat  # noqa: F401
        import papermill  # noqa: F401

        from ..site import export

        export.warm_up()  # nbconvert, the template: built and compiled once per worker
        # jupyter paths, the kernelspec, the provisioners' entry points: looked up once
        ProjectKernelManager(kernel_name=batch_kernel_name(fork)).kernel_spec
    if fork:
        from .zygote import use_zygote, zygote

        use_zygote(zygote_address)
        zygote()
