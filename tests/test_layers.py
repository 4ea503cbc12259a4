"""The house: every module sits in a layer and imports only its own layer and
the ones below it (function-level imports included), and there is no import
cycle.  Reading a source never needs a builder; a builder never needs the
pipeline that runs it.

Layers, low to high (README, "Development"):
    core → reading → model → checks → localise → load → present → kits → builders → pipeline → cli
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "sopimus"

# Module (or package prefix) → layer.  The longest matching prefix wins.
LAYERS: dict[str, str] = {
    "sopimus.version": "core", "sopimus.ast": "core", "sopimus.diagnostics": "core", "sopimus.ids": "core",
    "sopimus.textfile": "core", "sopimus.fsutil": "core", "sopimus.clock": "core", "sopimus.targets": "core",
    "sopimus.incremental": "core", "sopimus.resources": "core", "sopimus.i18n": "core", "sopimus.i18n.formats": "core",
    "sopimus.paths": "core",
    "sopimus.yamlio": "reading", "sopimus.config": "reading", "sopimus.rst": "reading",
    "sopimus.outcomes": "reading", "sopimus.i18n.catalogs": "reading", "sopimus.readmemo": "reading",
    "sopimus.project": "model",
    "sopimus.versions": "model", "sopimus.versions.checkout": "load", "sopimus.versions.summary": "present",
    "sopimus.structure": "checks", "sopimus.cachecheck": "checks",
    "sopimus.localise": "localise", "sopimus.i18n.content": "reading",
    "sopimus.reader": "load",
    "sopimus.present": "present", "sopimus.signed": "present", "sopimus.theme": "present", "sopimus.walk": "present",
    "sopimus.pdfkit": "kits", "sopimus.docxkit": "kits", "sopimus.htmlkit": "kits",
    "sopimus.builders": "builders", "sopimus.signing": "builders",
    "sopimus.pipeline": "pipeline", "sopimus.inputs": "pipeline",
    "sopimus.cli": "cli", "sopimus.__main__": "cli", "sopimus.quickstart": "cli", "sopimus.serve": "cli",
    "sopimus": "cli",
}
ORDER = ["core", "reading", "model", "checks", "localise", "load", "present", "kits", "builders", "pipeline", "cli"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    best = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len, default=None)
    assert best is not None, f"{module} has no layer: add it to LAYERS"
    return LAYERS[best]


def imports() -> dict[str, set[str]]:
    """module → the sopimus modules it imports (anywhere in the file)."""
    known = {module_name(p) for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # ``from pkg import mod`` imports the module; ``from mod import name`` the module
                targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("sopimus"):
                    found.add(target)
        graph[name] = found
    return graph


GRAPH = imports()


def test_every_module_has_a_layer():
    for module in GRAPH:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_a_higher_layer(module):
    here = ORDER.index(layer_of(module))
    upward = sorted(t for t in GRAPH[module] if ORDER.index(layer_of(t)) > here
                    and not (t == "sopimus" and module.startswith("sopimus")))
    assert not upward, f"{module} ({layer_of(module)}) imports a higher layer: " + ", ".join(
        f"{t} ({layer_of(t)})" for t in upward)


def test_no_import_cycles():
    # Tarjan's strongly connected components; a package importing its own
    # submodules (and they their package's __init__) is not a cycle of the house.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def edges(v: str) -> list[str]:
        return [w for w in GRAPH.get(v, ()) if not (v.startswith(w + ".") or w.startswith(v + "."))]

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges(v):
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
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_report_renderer_imports_only_toolkits_and_the_model():
    allowed = {"core", "reading", "model", "present", "kits"}
    for module in GRAPH:
        if module.startswith("sopimus.builders.report"):
            bad = sorted(t for t in GRAPH[module] if layer_of(t) not in allowed
                         and not t.startswith("sopimus.builders.report") and t != "sopimus.builders.base")
            assert not bad, f"{module} imports {bad}"
