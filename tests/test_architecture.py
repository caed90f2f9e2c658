"""The shape of the code, read from the source tree (never imported, so Prefect is not loaded either).

- Only `flows/` imports Prefect: the library (`tonghop`, `schemas`) is plain functions, tested without it.
- No import circles among `tonghop`, `schemas` and `flows`, counting every import: top-level, inside a
  function, and under `TYPE_CHECKING`. A circle that works today only because one side imports lazily or for
  annotations is still two modules that cannot be understood, tested or moved one without the other.
- The CLI calls flows; the rest of `tonghop` never imports `flows`.
- `tonghop/` itself holds at most 15 modules (the rest belong in its stage packages), and no module is over
  400 lines.

How imports become edges of the graph:

- `import a.b.c` and `from a.b.c import x` are edges to `a.b.c`; `from a.b import c` is an edge to `a.b.c`
  when that is a module, else to `a.b` (`c` is a name defined there). Relative imports are resolved first.
  `importlib.import_module("a.b")` with a written-out name counts as `import a.b`.
- An edge goes to the module named, not to the packages above it, although Python runs their `__init__`
  first: what the importer uses is the module it names. Counting the parents would make every submodule an
  importer of its package, and every `__init__` that imports one of its submodules (which is normal: that is
  how a package offers its parts) part of a circle. A submodule that takes a name from its own package's
  `__init__` (`from pkg import helper`) while that `__init__` imports it is a real circle, and is reported.
- Imports of anything outside the three packages (the standard library, Prefect) are not edges.

Each rule is a function of a source root, so the tests below also run it on a small tree with the fault
built in, and see it fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("tonghop", "schemas", "flows")
LIBRARY = ("tonghop", "schemas")
PREFECT = ("prefect", "prefect_dask")
MAX_TOP_LEVEL_MODULES = 15
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name, e.g. "tonghop.units.roster"
    names: tuple[str, ...]  # for `from module import a, b`; empty for `import module`
    line: int


def find_modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of the packages, by dotted name; a package's `__init__.py` is the package's name."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return ".".join(part for part in (base, node.module) if part)


def imports_of(name: str, path: Path) -> Iterator[Import]:
    """Every import statement of a module, wherever it is (function bodies, `if TYPE_CHECKING:` included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            yield Import(_absolute(name, path, node), tuple(a.name for a in node.names), node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "importlib"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(node.args[0].value, (), node.lineno)


def _targets(found: Import, modules: dict[str, Path]) -> Iterator[str]:
    if not found.names:
        if found.module in modules:
            yield found.module
        return
    for imported in found.names:
        submodule = f"{found.module}.{imported}"
        if submodule in modules:
            yield submodule
        elif found.module in modules:
            yield found.module


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Module → the modules of `packages` it imports (see the module docstring for what counts)."""
    modules = find_modules(root, packages)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for found in imports_of(name, path):
            graph[name].update(t for t in _targets(found, modules) if t != name)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that all reach one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


def _cycle_through(first: str, group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest way from `first` back to itself inside its group: the circle to show a reader."""
    came_from: dict[str, str] = {}
    frontier = [first]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for child in sorted(graph[node] & group):
                if child == first:
                    path = [node]
                    while path[-1] != first:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), first]
                if child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{first} is in no circle")


def import_cycles(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """One circle per group of modules that import one another, written `a → b → a`.

    A group can hold several circles; one of them, through its first module, is enough to say where to cut,
    and listing every one would grow with the square of the group.
    """
    graph = import_graph(root, packages)
    return sorted(
        " → ".join(_cycle_through(group[0], set(group), graph))
        for group in _strongly_connected(graph)
        if len(group) > 1
    )


def importers_of(root: Path, packages: tuple[str, ...], wanted: tuple[str, ...]) -> list[str]:
    """`module:line imports name` for each import, in `packages`, of a package named in `wanted`."""
    found: list[str] = []
    for name, path in find_modules(root, packages).items():
        for item in imports_of(name, path):
            if item.module.split(".")[0] in wanted:
                found.append(f"{name}:{item.line} imports {item.module}")
    return found


def library_importing_flows(root: Path) -> list[str]:
    """Imports of `flows` by `tonghop` modules other than the CLI (`tonghop.cli`, `tonghop.commands`)."""
    return [
        line
        for line in importers_of(root, ("tonghop",), ("flows",))
        if not (line.startswith(("tonghop.cli:", "tonghop.commands:", "tonghop.commands.")))
    ]


def top_level_modules(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "tonghop").glob("*.py"))


def long_modules(root: Path, packages: tuple[str, ...] = PACKAGES, limit: int = MAX_LINES) -> dict[str, int]:
    """Modules over `limit` lines, by path relative to `root`."""
    found: dict[str, int] = {}
    for path in find_modules(root, packages).values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found[path.relative_to(root).as_posix()] = lines
    return found


# --- the rules, on this repository -------------------------------------------------------------------


def test_the_library_never_imports_prefect() -> None:
    assert importers_of(REPO, LIBRARY, PREFECT) == []


def test_no_import_circles() -> None:
    assert import_cycles(REPO) == []


def test_only_the_cli_imports_flows() -> None:
    assert library_importing_flows(REPO) == []


def test_few_modules_directly_in_tonghop() -> None:
    modules = top_level_modules(REPO)
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules


def test_no_module_over_400_lines() -> None:
    assert long_modules(REPO) == {}


def test_the_graph_sees_the_real_imports() -> None:
    """The rules above pass because the reading works, not because it finds nothing."""
    graph = import_graph(REPO)
    assert "tonghop.units.roster" in graph["tonghop.units.matching"]
    assert "tonghop.store.lock" in graph["flows.consolidate"]
    assert any(line.startswith("flows.consolidate:") for line in importers_of(REPO, PACKAGES, PREFECT))


# --- each rule fails on a tree built to break it -------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in ("tonghop", "schemas", "flows"):
        (root / package).mkdir(exist_ok=True)
    return root


def test_a_circle_is_found_however_the_import_is_hidden(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "tonghop/__init__.py": "",
            "tonghop/units/__init__.py": "",
            # roster ↔ matching through a function-level import, as it was.
            "tonghop/units/roster.py": "def resolve():\n    from tonghop.units.matching import Matcher\n",
            "tonghop/units/matching.py": "from tonghop.units import roster\n",
            # calls ↔ reduce through an annotation-only import, as it was.
            "tonghop/summarize/__init__.py": "",
            "tonghop/summarize/calls.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .reduce import Group\n"
            ),
            "tonghop/summarize/reduce.py": "from tonghop.summarize.calls import Call\n",
            # Three modules across packages, one through importlib.
            "schemas/a.py": "import flows.b\n",
            "flows/b.py": "import importlib\nimportlib.import_module('tonghop.c')\n",
            "tonghop/c.py": "from schemas import a\n",
            # A package's __init__ importing its submodules is no circle...
            "tonghop/render/__init__.py": "from tonghop.render.docx import write\n",
            "tonghop/render/docx.py": "from tonghop.render.chart import draw\n",
            "tonghop/render/chart.py": "",
            # ...unless a submodule takes a name from that __init__.
            "tonghop/store/__init__.py": "from tonghop.store.registry import Registry\nHOME = 1\n",
            "tonghop/store/registry.py": "from tonghop.store import HOME\n",
        },
    )
    assert import_cycles(root) == [
        "flows.b → tonghop.c → schemas.a → flows.b",
        "tonghop.store → tonghop.store.registry → tonghop.store",
        "tonghop.summarize.calls → tonghop.summarize.reduce → tonghop.summarize.calls",
        "tonghop.units.matching → tonghop.units.roster → tonghop.units.matching",
    ]


def test_a_circle_of_one_module_and_a_longer_one_are_shown_as_such() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "b"}, "d": {"d"}}
    groups = _strongly_connected(graph)
    assert sorted(groups) == [["a", "b", "c"], ["d"]]
    assert _cycle_through("a", {"a", "b", "c"}, graph) == ["a", "b", "c", "a"]
    assert _cycle_through("d", {"d"}, graph) == ["d", "d"]


def test_prefect_in_the_library_is_found_even_inside_a_function(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "tonghop/commands/serve.py": "def handle():\n    from prefect import serve\n",
            "schemas/run.py": "import prefect_dask.task_runners\n",
            "flows/consolidate.py": "from prefect import flow\n",
            "tonghop/prefect_like.py": "import prefectural\n",
        },
    )
    assert importers_of(root, LIBRARY, PREFECT) == [
        "tonghop.commands.serve:2 imports prefect",
        "schemas.run:1 imports prefect_dask.task_runners",
    ]


def test_only_the_cli_may_import_flows(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "tonghop/cli.py": "import flows.serve\n",
            "tonghop/commands/run.py": "from flows.run import run_round\n",
            "tonghop/store/registry.py": "\n\nfrom flows import consolidate\n",
            "tonghop/commandsx.py": "import flows.consolidate\n",
        },
    )
    assert library_importing_flows(root) == [
        "tonghop.commandsx:1 imports flows.consolidate",
        "tonghop.store.registry:3 imports flows",
    ]


def test_too_many_top_level_modules_and_a_long_module_are_found(tmp_path: Path) -> None:
    files = {f"tonghop/m{i:02d}.py": "" for i in range(MAX_TOP_LEVEL_MODULES + 1)}
    files["flows/long.py"] = "x = 1\n" * (MAX_LINES + 1)
    files["schemas/short.py"] = "x = 1\n" * MAX_LINES
    root = _tree(tmp_path, files)
    assert len(top_level_modules(root)) == MAX_TOP_LEVEL_MODULES + 1
    assert long_modules(root) == {"flows/long.py": MAX_LINES + 1}
