"""The house rules of the package, checked on its source: data flows one way (no import cycle,
even through imports inside functions), modules stay small, and a long function says why."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

LIB = ROOT / "lib"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
WHY_LONG = "Long because"  # a function over the limit explains itself in its docstring
#: Known offenders, each with the work that removes it; the list may only shrink.
KNOWN: dict[str, str] = {}


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for p in sorted((LIB / "nianbao").rglob("*.py")):
        parts = list(p.relative_to(LIB).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (p, is_pkg)
    return out


MODULES = _modules()


def _targets(mod: str, is_pkg: bool, node) -> set[str]:
    """The nianbao modules an import statement loads (a name imported from a package counts as
    the submodule when there is one, else the package)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = mod.split(".")[: None if is_pkg else -1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in MODULES else prefix
                 for a in node.names]
    return {n for n in names if n in MODULES}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for mod, (path, is_pkg) in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[mod] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[mod] |= _targets(mod, is_pkg, node) - {mod}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_imports():
    g = import_graph()
    assert "nianbao.engine" in g["nianbao.workbook.views"]  # imported inside load()
    assert "nianbao.atomic" in g["nianbao.site.index"]


def test_no_import_cycle():
    assert _cycles(import_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_lower_layers_never_import_the_workbook_site_or_batch():
    """read → parse → check never reaches up into rendering or running."""
    upper = ("nianbao.workbook", "nianbao.site", "nianbao.batch", "nianbao.cli")
    lower = ("nianbao.readers", "nianbao.parsing", "nianbao.rules", "nianbao.prose",
             "nianbao.engine", "nianbao.model", "nianbao.document", "nianbao.schema",
             "nianbao.findings", "nianbao.config")
    bad = [(m, t) for m, ts in import_graph().items() if m.startswith(lower)
           for t in ts if t.startswith(upper)]
    assert bad == []


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_module_is_small(mod):
    if mod in KNOWN:
        pytest.xfail(KNOWN[mod])
    lines = len(MODULES[mod][0].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{mod} has {lines} lines"


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_long_functions_say_why(mod):
    if mod in KNOWN:
        pytest.xfail(KNOWN[mod])
    tree = ast.parse(MODULES[mod][0].read_text(encoding="utf-8"))
    long = [f"{n.name} ({n.end_lineno - n.lineno + 1} lines)" for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES
            and WHY_LONG not in (ast.get_docstring(n) or "")]
    assert long == []
