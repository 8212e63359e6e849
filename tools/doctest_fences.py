"""A griffe extension for the docs site: render doctest examples as code.

Our docstrings carry ``>>>`` examples (pytest runs them). Markdown would read
``>>>`` as nested block quotes, so before mkdocstrings renders a docstring, each
run of doctest lines (a ``>>>`` line and what follows it up to a blank line) is
wrapped in a ```` ```pycon ```` fence. Used only by ``mkdocs build``; the package
does not import it.
"""

from __future__ import annotations

from typing import Any

from griffe import Extension, Object


def fence_doctests(text: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(f"{indent}```")
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class DoctestFences(Extension):
    def on_object(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
