"""The layout of docs/architecture.md, enforced: imports flow one way.

Layers, lowest first: the foundation (errors, durations, limits, argument checks,
dates, the file reader, schemas), ``calendars``, ``plans``, ``records`` (beside
the plans: it needs only calendars), ``checks``, then presentation (``_html``,
``plot``, ``strategies``, ``cli``) and the package itself. A module's top-level
imports may reach its own layer or lower; the methods that draw or render
(``Schedule.plot``, ``_repr_html_``) import presentation lazily, inside the call,
and type-only imports sit under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import importlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import approval_clock
from approval_clock._moved import MOVED

SRC = Path(approval_clock.__file__).resolve().parent
FOUNDATION = {
    "errors",
    "_advice",
    "_dates",
    "durations",
    "limits",
    "_check",
    "_toml",
    "_schema",
    "_moved",
}
LAYERS = {"calendars": 1, "plans": 2, "records": 2, "checks": 3}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return 9  # the package's own __init__ re-exports everything
    if parts[1] in FOUNDATION:
        return 0
    return LAYERS.get(parts[1], 4)


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _is_module(name: str) -> bool:
    base = SRC.parent / name.replace(".", "/")
    return base.with_suffix(".py").exists() or base.is_dir()


def _top_level_imports(path: Path) -> Iterator[str]:
    def walk(body: list[ast.stmt]) -> Iterator[str]:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Try):
                yield from walk(node.body)
            elif isinstance(node, ast.Import):
                yield from (a.name for a in node.names if a.name.startswith("approval_clock"))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "approval_clock"
            ):
                assert node.module is not None
                subs = [f"{node.module}.{a.name}" for a in node.names]
                subs = [s for s in subs if _is_module(s)]
                yield from (
                    subs if node.module == "approval_clock" and subs else [node.module, *subs]
                )

    yield from walk(ast.parse(path.read_text("utf-8")).body)


def test_imports_flow_one_way() -> None:
    upward = []
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        if module.split(".")[-1] in {key.split(".")[-1] for key in MOVED}:
            continue  # a deprecation alias of an old flat module
        for target in _top_level_imports(path):
            if _layer(target) > _layer(module) and not target.startswith(module + "."):
                upward.append(f"{module} imports {target}")
    assert not upward, "imports that flow upward:\n" + "\n".join(upward)


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The test above can fail: a calendar module importing plans is caught."""
    bad = tmp_path / "m.py"
    bad.write_text("from approval_clock.plans.model import Plan\n")
    assert list(_top_level_imports(bad)) == ["approval_clock.plans.model"]
    assert _layer("approval_clock.plans.model") > _layer("approval_clock.calendars.notice")


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_paths_are_deprecated_aliases(old: str) -> None:
    new = importlib.import_module(MOVED[old])
    stub = importlib.import_module(old)
    public = [n for n in getattr(new, "__all__", dir(new)) if not n.startswith("_")]
    assert public
    with pytest.warns(DeprecationWarning, match=f"{old} is deprecated"):
        value = getattr(stub, public[0])
    assert value is getattr(new, public[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert approval_clock.Plan is importlib.import_module(MOVED["approval_clock.plan"]).Plan


def test_public_modules_reachable_from_the_package() -> None:
    from approval_clock.checks import live
    from approval_clock.plans import ala

    assert approval_clock.ala is ala
    assert approval_clock.live is live
