"""Render docs/api.md, the reference of sopimus's public API, from the code itself.

    .venv/bin/python -m tools.make_api_docs          # rewrite docs/api.md
    .venv/bin/python -m tools.make_api_docs --check  # exit 1 if docs/api.md is stale

Signatures come from ``inspect``, text from the docstrings, the fields of
each AST node from its dataclass, and each node's example is the first node
of its class in the quickstart agreement (``sopimus new``), as JSON. The test
suite checks that the committed file equals a fresh rendering, so the
reference cannot drift from the code.
"""
from __future__ import annotations

import contextlib
import dataclasses
import inspect
import json
import os
import sys
import typing
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "api.md"
sys.path.insert(0, str(REPO / "src"))

import sopimus  # noqa: E402
from sopimus import ast as A  # noqa: E402
from sopimus import builders  # noqa: E402
from sopimus.builders.base import Builder, BuildOptions  # noqa: E402

FUNCTIONS = ("load", "read", "check", "build", "diff", "diff_json")
CLASSES = ("Project", "Diagnostic", "SourceError", "BuildError", "BuildResult")
AST_ORDER = ("Source", "Node",
             "Text", "Emphasis", "Strong", "Literal", "Link", "GoalRef",
             "Paragraph", "ItemList", "ListItem", "Quote", "Section", "Theme", "Goal", "YearTarget",
             "Indicator", "TargetLevel", "ImpactGoal", "Annex", "RatingScale", "RatingLevel",
             "Table", "TableRow", "TableCell", "Signatures",
             "Document", "Period", "Party", "Signatory", "HistoryEntry")
AST_FUNCTIONS = ("to_dict", "from_dict", "plain_text")


class MissingDocstring(Exception):
    pass


def doc(obj: Any, name: str) -> str:
    text = inspect.getdoc(obj)
    if not text or (dataclasses.is_dataclass(obj) and text.startswith(f"{obj.__name__}(")):
        raise MissingDocstring(f"{name} has no docstring: the reference is made from docstrings")
    return text


def signature(obj: Any, name: str) -> str:
    try:
        sig = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return name
    return f"{name}{sig}"


def heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}\n"


def function(name: str, obj: Any, level: int = 3) -> list[str]:
    return [heading(level, f"`{name}`"), "```python", signature(obj, name), "```", "", doc(obj, name), ""]


def _public_members(cls: type) -> Iterator[tuple[str, Any]]:
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            yield name, member
        elif isinstance(member, classmethod):
            yield name, member.__func__
        elif inspect.isfunction(member):
            yield name, member


def klass(qualname: str, cls: type, level: int = 3) -> list[str]:
    lines = [heading(level, f"`{qualname}`"), doc(cls, qualname), ""]
    if dataclasses.is_dataclass(cls):
        lines += fields_table(cls)
    for name, member in _public_members(cls):
        if isinstance(member, property):
            lines += [f"- **`{name}`** (property): " + doc(member.fget, f"{qualname}.{name}").replace("\n", " ")]
        else:
            lines += [f"- **`{signature(member, name)}`**: " + doc(member, f"{qualname}.{name}").replace("\n", " ")]
    if lines[-1] != "":
        lines.append("")
    return lines


def _type_name(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else typing._type_repr(annotation)  # type: ignore[attr-defined]
    return text.replace("typing.", "").replace("sopimus.ast.", "").replace("datetime.", "")


def fields_table(cls: type) -> list[str]:
    rows = ["| field | type | default |", "|---|---|---|"]
    for f in dataclasses.fields(cls):
        if f.name.startswith("_"):
            continue
        if f.default is not dataclasses.MISSING:
            default = repr(f.default) if f.name != "source" else "where it was written"
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            default = repr(f.default_factory())  # type: ignore[misc]
        else:
            default = "required"
        rows.append(f"| `{f.name}` | `{_type_name(f.type)}` | {default} |".replace(" | None`", " \\| None`"))
    return rows + [""]


# --- examples from the quickstart agreement -------------------------------------------

@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def quickstart_nodes() -> dict[str, Any]:
    """The first node of each class in the quickstart agreement (Finnish)."""
    template = Path(sopimus.__file__).parent / "quickstart" / "template"
    with _cwd(template):  # source files named as "content/<document-id>/…"
        project = sopimus.load("content")
        document = project.document(project.documents[0].id, "fi")
    found: dict[str, Any] = {}
    for node in document.walk():
        found.setdefault(type(node).__name__, node)
        for value in vars(node).values():
            for item in value if isinstance(value, list) else [value]:
                if dataclasses.is_dataclass(item) and not isinstance(item, A.Node):
                    found.setdefault(type(item).__name__, item)
    return found


def _shorten(value: Any, depth: int = 0) -> Any:
    """Keep an example short: child nodes show their type and first fields only."""
    if isinstance(value, dict):
        if depth > 1 and "type" in value:
            value = {k: v for k, v in value.items() if k != "source" and not isinstance(v, (list, dict))}
            return dict(list(value.items())[:3]) | ({"…": "…"} if len(value) > 3 else {})
        return {k: _shorten(v, depth + 1) for k, v in value.items() if depth == 0 or k != "source"}
    if isinstance(value, list):
        return [_shorten(v, depth + 1) for v in value[:2]] + (["…"] if len(value) > 2 else [])
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "…"
    return value


def example(node: Any) -> list[str]:
    if isinstance(node, A.Node):
        data = A.to_dict(node)
    elif isinstance(node, A.Source):
        data = {"file": node.file, "line": node.line}
    else:
        data = A._value_to_json(node)
    text = json.dumps(_shorten(data), ensure_ascii=False, indent=1)
    return ["Example (from `sopimus new`, as JSON):", "", "```json", text, "```", ""]


def render() -> str:
    out = [
        "# sopimus API reference",
        "",
        "<!-- Generated by tools/make_api_docs.py from the docstrings and signatures;",
        "     do not edit by hand: run `make docs`. tests/test_docs.py checks it is current. -->",
        "",
        f"sopimus {sopimus.__version__}. Everything public is in `sopimus.__all__`;",
        "other names are private. A guide with runnable examples is [library.md](library.md).",
        "",
        heading(2, "Functions"),
    ]
    for name in FUNCTIONS:
        out += function(f"sopimus.{name}", getattr(sopimus, name))
    out.append(heading(2, "Classes"))
    for name in CLASSES:
        out += klass(f"sopimus.{name}", getattr(sopimus, name))
    out += [heading(2, "Builders"), doc(builders, "sopimus.builders"), "",
            f"Entry point group: `{builders.ENTRY_POINT_GROUP}`.", ""]
    for name in ("available", "get"):
        out += function(f"sopimus.builders.{name}", getattr(builders, name))
    out += klass("sopimus.builders.base.Builder", Builder)
    out += klass("sopimus.builders.base.BuildOptions", BuildOptions)
    out += [heading(2, "The AST: `sopimus.ast`"), doc(A, "sopimus.ast"), ""]
    examples = quickstart_nodes()
    for name in AST_ORDER:
        cls = getattr(A, name)
        out += klass(f"sopimus.ast.{name}", cls)
        if name in examples:
            out += example(examples[name])
        elif name == "Node":
            pass
        else:
            out += example(cls())
    for name in AST_FUNCTIONS:
        out += function(f"sopimus.ast.{name}", getattr(A, name))
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUT.read_text("utf-8") != text:
            print(f"{OUT.relative_to(REPO)} is stale: run 'make docs'", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
