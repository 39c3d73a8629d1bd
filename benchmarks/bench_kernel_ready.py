"""Is the batch's one private jupyter_client override worth keeping? A/B measurement.

    .venv/bin/python benchmarks/bench_kernel_ready.py [N]

Runs a minimal notebook (a parameters cell and one statement) N times each, alternating,
through ``nianbao.batch.kernels.execute_notebook`` with forked kernels: once with the batch's
kernel client (``ProjectKernelClient.wait_for_ready`` ends at the kernel's "idle" for the
``kernel_info`` it answered) and once with the same client using jupyter_client's own
``wait_for_ready`` (0.2 s of IOPub silence). Prints the median seconds per notebook of each;
the figures are quoted in docs/batch.md ("How kernels are started").
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

import nbformat  # noqa: E402
from jupyter_client.asynchronous import AsyncKernelClient  # noqa: E402

from nianbao.batch import kernels  # noqa: E402
from nianbao.batch.zygote import use_zygote, zygote  # noqa: E402


class StockReady(kernels.ProjectKernelClient):
    """The batch's client with jupyter_client's own wait_for_ready."""

    wait_for_ready = AsyncKernelClient.wait_for_ready


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        params = nbformat.v4.new_code_cell('x = ""')
        params.metadata["tags"] = ["parameters"]
        nbformat.write(nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell("y = 1")]),
                       str(tmp / "min.ipynb"))
        use_zygote(None)
        zygote()
        times: dict[type, list[float]] = {kernels.ProjectKernelClient: [], StockReady: []}
        for i in range(n + 1):
            for client, seen in times.items():
                kernels.ProjectKernelManager.client_factory = client  # plain attribute: this run
                t0 = time.monotonic()
                kernels.execute_notebook(tmp / "min.ipynb", tmp / "out.ipynb", {"x": "a"},
                                         cwd=tmp, timeout=60, fork=True)
                if i:  # the first of each warms up
                    seen.append(time.monotonic() - t0)
        for client, seen in times.items():
            print(f"{client.__name__:>20}: median {statistics.median(seen):.3f} s per notebook "
                  f"({n} runs)")


if __name__ == "__main__":
    main()
