"""The import layers: no module of docmine imports, even inside a function, a module that imports
it back; ingesting never loads the measuring and training code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "docmine"
MEASURING = (
    "docmine.measure.evaluate",
    "docmine.measure.search_eval",
    "docmine.measure.bench",
    "docmine.measure.bench_search",
    "docmine.measure.train_force",
    "docmine.measure.train_links",
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the docmine modules it imports anywhere in its source (functions included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            # importing a.b.c runs the package a.b's __init__ first: an edge to it as well
            parents = [t.rsplit(".", k)[0] for t in targets for k in range(1, t.count(".") + 1)]
            graph[name].update(t for t in targets if t in modules and t != name)
            # a module of the package itself is imported inside it: no edge to its own package
            graph[name].update(
                p
                for p in parents
                if p in modules and p != "docmine" and not name.startswith(p + ".")
            )
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    graph = import_graph()
    assert len(graph) > 40 and "docmine.pipeline" in graph
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_ingesting_never_loads_the_measuring_and_training_code() -> None:
    script = (
        "import sys, docmine.pipeline, docmine.store, docmine.search;"
        f"print([m for m in {list(MEASURING)!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"


def test_one_default_embedding_backend_and_a_bad_one_is_one_line(monkeypatch) -> None:
    from docmine.config import InvalidSetting, load_settings

    assert load_settings().embedding_backend == "onnx-int8"
    monkeypatch.setenv("DOCMINE_EMBEDDING_BACKEND", "gpu")
    with pytest.raises(InvalidSetting, match="not one of onnx-int8, torch"):
        load_settings()


# The stages in pipeline order, then what reads their output; a module may import from its own
# layer and the layers before it (language/, config, model and errors are below them all).
LAYERS = (
    ("docmine.extract", "docmine.normalise", "docmine.segment"),
    ("docmine.classify",),
    ("docmine.link",),
    ("docmine.store", "docmine.search", "docmine.diff", "docmine.export"),
    ("docmine.pipeline",),
    ("docmine.measure", "docmine.web", "docmine.cli"),
)


def _layer(module: str) -> int | None:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def test_a_stage_never_imports_a_later_stage() -> None:
    upward = []
    for module, targets in import_graph().items():
        rank = _layer(module)
        for target in targets:
            to = _layer(target)
            if rank is not None and to is not None and to > rank:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_the_shared_language_tools_import_no_stage() -> None:
    graph = import_graph()
    shared = [m for m in graph if m.startswith(("docmine.language", "docmine.config"))]
    assert shared and all(_layer(t) is None for m in shared for t in graph[m])
