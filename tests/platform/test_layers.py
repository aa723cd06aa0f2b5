"""The layers of docs/architecture.md, held against every import in the code.

The platform (``registers/core``) stands at the bottom and imports no register, review,
report or workspace module; the registers know nothing of the year's reviews; neither app
imports the project (``xianan_lawgov``), which composes them; the report does not know the
pages that show it. An import inside a function counts like one at the top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def modules_under(folder: str, *, skip: tuple[str, ...] = ()) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and not any(path.relative_to(ROOT).as_posix().startswith(s) for s in skip)
    )


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])


def imported_modules(source: str, package: str) -> set[str]:
    """Every absolute module name ``source`` (a module of ``package``) imports, with each
    name taken from a module, since ``from registers import models`` imports a module too."""
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return names


def offending(
    source: str, package: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()
) -> list[str]:
    return sorted(
        name
        for name in imported_modules(source, package)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
        and not any(name == a or name.startswith(a + ".") for a in allowed)
    )


LAYERS = [
    # (what, files, may not import, except)
    (
        "the platform",
        modules_under("registers/core"),
        ("registers", "reviews", "xianan_lawgov"),
        ("registers.core",),
    ),
    (
        "the registers",
        modules_under("registers", skip=("registers/core",)),
        ("reviews", "xianan_lawgov"),
        (),
    ),
    ("the reviews", modules_under("reviews"), ("xianan_lawgov",), ()),
    (
        "the accounts",
        modules_under("xianan_lawgov/accounts"),
        ("reviews", "xianan_lawgov.reports", "xianan_lawgov.workspace"),
        (),
    ),
    (
        "the audit log",
        modules_under("xianan_lawgov/audit"),
        ("reviews", "xianan_lawgov.workspace", "xianan_lawgov.accounts"),
        (),
    ),
    (
        "the annual report",
        modules_under("xianan_lawgov/reports"),
        ("xianan_lawgov.workspace",),
        (),
    ),
]


@pytest.mark.parametrize(
    ("layer", "path", "forbidden", "allowed"),
    [
        pytest.param(layer, path, forbidden, allowed, id=path.relative_to(ROOT).as_posix())
        for layer, paths, forbidden, allowed in LAYERS
        for path in paths
    ],
)
def test_no_module_imports_a_layer_above_its_own(layer, path, forbidden, allowed):
    found = offending(path.read_text(), package_of(path), forbidden, allowed)
    assert found == [], f"{layer} must not import these"


def test_the_check_sees_imports_inside_functions_and_relative_ones():
    """A guard against a check that cannot fail: hidden and relative imports are found."""
    source = "from ..models import Unit\n\ndef f():\n    from reviews.models import Filing\n"
    found = offending(source, "registers.core", ("reviews", "registers"), ("registers.core",))
    assert found == ["registers.models", "registers.models.Unit", "reviews.models"] + [
        "reviews.models.Filing"
    ]


def test_every_layer_has_files():
    for layer, paths, _forbidden, _allowed in LAYERS:
        assert paths, f"{layer}: no files found (was a folder moved?)"


# --- Role checks go through the gates of registers/core/permissions.py -------------------------

GATES = {ROOT / "registers" / "core" / name for name in ("permissions.py", "roles.py")}


def compares_a_role(node: ast.AST) -> bool:
    """``role_of(user) == Role.LIAISON``, ``role in (…)`` and the like: a gate spelled by hand."""
    if not isinstance(node, ast.Compare) or isinstance(node.ops[0], ast.Is | ast.IsNot):
        return False  # ``role_of(user) is None``: not signed in as anyone who sees records
    sides = [node.left, *node.comparators]
    return (
        any(
            isinstance(side, ast.Call)
            and getattr(side.func, "attr", getattr(side.func, "id", "")) == "role_of"
            for side in sides
        )
        or any(
            isinstance(side, ast.Attribute)
            and isinstance(side.value, ast.Name)
            and side.value.id == "Role"
            and side.attr in {"OFFICE", "LIAISON", "LEADER", "API_CLIENT"}
            for side in sides
        )
        and not any(isinstance(side, ast.Attribute) and side.attr == "role" for side in sides)
    )


def hand_spelled_role_checks(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if compares_a_role(node)]


def test_who_may_do_what_is_asked_of_the_gates_only():
    found = {}
    for package in ("registers", "reviews", "xianan_lawgov"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path in GATES:
                continue
            if lines := hand_spelled_role_checks(path):
                found[str(path.relative_to(ROOT))] = lines
    assert found == {}, "用 registers/core/permissions.py 的判断函数代替手写的角色比较"


def test_the_role_check_finder_sees_a_hand_spelled_check(tmp_path):
    spelled = tmp_path / "spelled.py"
    spelled.write_text("if permissions.role_of(user) == Role.LIAISON:\n    pass\n")
    assert hand_spelled_role_checks(spelled) == [1]
    gated = tmp_path / "gated.py"
    gated.write_text("if permissions.reads_own_unit_only(user):\n    pass\n")
    assert hand_spelled_role_checks(gated) == []
