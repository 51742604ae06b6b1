"""Dependencies point one way: infrastructure and auth at the bottom, search at the top.

A feature lower down announces what happened with a signal; it never imports a feature above
it, and no module dodges that by importing inside a function. The README draws these layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ancuu_docs"

# Lowest first. A module may import its own layer and the layers below it.
LAYERS = [
    {
        "config",
        "extensions",
        "database",
        "errors",
        "storage",
        "extract",
        "detect",
        "text",
        "timeutil",
        "parsing",
        "storage_check",
        "docx_html",
        "pdf_pages",
        "highlight",
        "spreadsheets",
    }
    | {"signals", "searchable", "web", "wiring", "schema", "docx_fields"},
    {"auth"},
    {"audit"},
    {"documents"},
    {"registers"},
    {"signatures"},
    {"drafting"},
    {"consultation"},
    {"meetings"},
    {"ocr"},
    {"search"},
    # The application: the factory, commands, demo data, the home page gathering every feature's lists.
    {"__init__", "api", "cli", "demo", "maintenance", "home"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _part_of(path: Path) -> str:
    """The top-level piece of ancuu_docs a file belongs to: "documents", "cli", "__init__"."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imports(path: Path, source: str | None = None) -> list[tuple[str, int, bool]]:
    """(ancuu_docs piece imported, line, at module level?) for every import in the file."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    package = ["ancuu_docs", *path.relative_to(PACKAGE).parent.parts]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
                if not node.module:  # "from . import services": each name is a module
                    names = [".".join([*base, alias.name]) for alias in node.names]
            else:
                names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "ancuu_docs" and len(parts) > 1:
                found.append((parts[1], node.lineno, id(node) in top_level))
    return found


def test_every_module_belongs_to_a_layer():
    unknown = {_part_of(path) for path in _modules()} - set(RANK)
    assert not unknown, f"add these to LAYERS (and the README's picture): {sorted(unknown)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    importer = _part_of(path)
    upward = [
        f"line {line}: {importer} imports {imported}"
        for imported, line, _top in _imports(path)
        if imported in RANK and RANK[imported] > RANK[importer]
    ]
    assert not upward, "a lower layer imports a higher one (send a signal instead):\n" + "\n".join(upward)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_hides_inside_a_function(path):
    hidden = [f"line {line}: {imported}" for imported, line, top in _imports(path) if not top]
    assert not hidden, "imports of the application's own modules belong at the top of the module"


def test_the_check_sees_an_upward_import():
    """Relative imports are resolved: a documents module importing search or meetings is caught."""
    source = (
        "from ..search import indexing\nfrom . import services\n\ndef f():\n    from ..meetings import x\n"
    )
    found = _imports(PACKAGE / "documents" / "probe.py", source)
    assert found == [("search", 1, True), ("documents", 2, True), ("meetings", 5, False)]


# ---------------------------------------------------------------- functions a reader can hold

LONGEST = 60
# A function may run longer with its reason written beside it: "# long: <why>" on its first
# line or the line above.
LONG_REASON = "# long:"


def _long_functions(path: Path, source: str | None = None) -> list[str]:
    text = source if source is not None else path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        length = node.end_lineno - node.lineno + 1
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        beside = " ".join(lines[max(0, first - 2) : node.lineno])
        if length > LONGEST and LONG_REASON not in beside:
            found.append(f"{node.name} (line {node.lineno}): {length} lines")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_runs_past_sixty_lines_without_its_reason(path):
    long = _long_functions(path)
    assert not long, f"split these, or write '{LONG_REASON} …' beside them:\n" + "\n".join(long)


def test_the_length_check_sees_a_long_function_and_its_reason():
    body = "".join(f"    x{i} = {i}\n" for i in range(LONGEST))
    assert _long_functions(PACKAGE / "probe.py", f"def f():\n{body}") == [f"f (line 1): {LONGEST + 1} lines"]
    assert (
        _long_functions(PACKAGE / "probe.py", f"# long: one table, read top to bottom\ndef f():\n{body}")
        == []
    )
