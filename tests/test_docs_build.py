"""The docs toolchain's role rewriting (tools/docroles.py) and site check (tools/check_site.py).

The full check is the docs build (``mkdocs build --strict`` then
``tools/check_site.py``); these are its rules on small inputs. They need griffe,
which comes with the ``docs`` extra, and are skipped without it.
"""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

griffe = pytest.importorskip("griffe")
TOOLS = Path(__file__).resolve().parents[1] / "tools"


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_tools_{name}", TOOLS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


docroles = _tool("docroles")
check_site = _tool("check_site")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> object:
    root = tmp_path_factory.mktemp("src")
    files = {
        "demo/__init__.py": "from demo.engine.core import Engine\n",
        "demo/engine/__init__.py": "",
        "demo/engine/core.py": """
            KINDS = ("a", "b")

            class Engine:
                unit: str

                def run(self) -> None:
                    '''Run; see :meth:`stop`, :attr:`unit` and :data:`KINDS`.'''

                def stop(self) -> None:
                    '''Stop.'''
            """,
        "demo/other.py": """
            class Stop:
                def stop(self) -> None:
                    '''Stop too.'''
            """,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return griffe.load("demo", search_paths=[str(root)])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("~demo.errors.DurationError", ("DurationError", "demo.errors.DurationError", True)),
        (
            "demo.errors.DurationError",
            ("demo.errors.DurationError", "demo.errors.DurationError", True),
        ),
        ("Plan.loads\n    <demo.Plan.loads>", ("Plan.loads", "demo.Plan.loads", True)),
        ("~demo.Plan.schedule(start)", ("schedule(start)", "demo.Plan.schedule(start)", True)),
        ("!demo.Plan", ("demo.Plan", "demo.Plan", False)),
        ("._lunar", ("_lunar", "._lunar", True)),
    ],
)
def test_titles_follow_sphinx(content: str, expected: tuple[str, str, bool]) -> None:
    assert docroles.parse_role(content) == expected


def test_targets_resolve_in_scope_to_where_they_are_defined(pkg: object) -> None:
    resolver = docroles.Resolver(pkg)  # type: ignore[arg-type]
    run = pkg["engine.core.Engine.run"]  # type: ignore[index]
    own, enclosing = resolver.candidates("stop", "meth", run)
    assert own[0] == "demo.engine.core.Engine.stop"
    assert enclosing == ["demo.engine.core.Engine"]
    # through the package's import: the canonical path first
    own, _ = resolver.candidates("demo.Engine.run", "meth", run)
    assert own[:2] == ["demo.engine.core.Engine.run", "demo.Engine.run"]


def test_a_moved_target_is_found_by_its_end_only_when_unambiguous(pkg: object) -> None:
    resolver = docroles.Resolver(pkg)  # type: ignore[arg-type]
    where = pkg["other.Stop"]  # type: ignore[index]
    own, _ = resolver.candidates("demo.old_engine.KINDS", "data", where)
    assert own[0] == "demo.engine.core.KINDS"
    # two methods called stop: no guess, only the name as written
    own, _ = resolver.candidates("demo.gone.stop", "meth", where)
    assert own == ["demo.gone.stop"]
    # another package's name is not looked for among ours
    own, _ = resolver.candidates("elsewhere.KINDS", "data", where)
    assert own == ["elsewhere.KINDS"]


def test_rewrite_leaves_code_alone(pkg: object) -> None:
    resolver = docroles.Resolver(pkg)  # type: ignore[arg-type]
    run = pkg["engine.core.Engine.run"]  # type: ignore[index]
    text = "See :meth:`stop`.\n\n>>> ':meth:`stop`'\n\n```\n:class:`X`\n```\n"
    out = docroles.rewrite_roles(text, resolver, run)
    assert out.startswith("See [`stop`][docrole:stop@demo.engine.core.Engine.stop|stop@")
    assert ">>> ':meth:`stop`'" in out
    assert "```\n:class:`X`\n```" in out


def test_site_check_finds_raw_roles_outside_code() -> None:
    page = (
        "<p>Raises :class:<code>~a.DurationError</code> and <code>:meth:`x`</code>.</p>"
        "<pre><code>:class:`Shown`</code></pre>"
        '<span class="docrole-fallback" data-docrole-target="a.B"><code>B</code></span>'
    )
    assert len(check_site.find_raw_roles(page)) == 1
    assert check_site.find_fallbacks(page) == ["a.B"]
