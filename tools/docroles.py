"""A griffe extension for the docs site: reST cross-reference roles become links.

Our docstrings are Google style but name other objects with Sphinx roles:
``:class:`~approval_clock.errors.DurationError```, ``:meth:`day_kind```,
``:func:`Plan.schedule(start) <approval_clock.Plan.schedule>```. mkdocstrings
renders Markdown, where such a role would show as raw text. Before it renders a
docstring, this extension rewrites each role into an autorefs cross-reference
(``[`DurationError`][identifier]``), the syntax mkdocs-autorefs resolves to a link
to the object's entry in the API reference.

Titles follow Sphinx: ``~a.b.c`` shows ``c``; ``a.b.c`` shows ``a.b.c``;
``Title <a.b.c>`` shows ``Title``; ``!a.b.c`` shows ``a.b.c`` and links nowhere.

Targets are resolved as Sphinx would, innermost scope first: for a docstring of
``approval_clock.calendars.workcalendar.WorkCalendar.describe``, ``day_kind`` is
looked up in ``WorkCalendar``, then in its module (imports included), then in the
packages above it, then taken as an absolute path; ``.name`` is relative to the
docstring's object. The object found is followed through imports to where it is
defined (its canonical path), which is the identifier mkdocstrings registers for
it wherever the reference renders it. Modules get moved, so when a path into the
package written in a docstring no longer exists (``approval_clock.plan.STAGE_KINDS``),
the object is looked up by the end of the path (``plan.STAGE_KINDS``, then
``STAGE_KINDS``) among the objects of the role's kind, and taken only if exactly
one matches; other packages' names (``html.escape``) are not looked up so.

Whether autorefs knows an identifier is decided only once every page is rendered,
so the identifier written here is, behind a marker, the target as written, the
candidates for the object, and those for the class it belongs to:
``docrole:written@own|own...@class|class...``. The mkdocs hook
``tools/docroles_hook.py`` picks the first of the object's candidates autorefs
knows; else the class's (an attribute described in its class's docstring has no
entry of its own); or, when none is documented anywhere on the site,
renders the title as inline code (marked ``class="docrole-fallback"``) instead of
failing the build, and logs it. Without that hook the markers stay unresolved and
``mkdocs build --strict`` fails, which is the safe direction.

Used only by ``mkdocs build``; the package does not import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from griffe import Alias, Extension, Module, Object

MARKER = "docrole:"
"""Prefix of the identifiers this extension writes (read by ``docroles_hook.py``)."""

# :role:`content`, optionally with the Sphinx Python domain (:py:class:). The
# content may span lines (an explicit title wrapped in a docstring).
ROLE_RE = re.compile(
    r"(?<![\w`:]):(?:py:)?(?P<role>class|exc|func|meth|attr|data|const|mod|obj|type):"
    r"`(?P<content>[^`]+)`(?!`)"
)
_EXPLICIT_TITLE_RE = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)

# Which griffe kinds a role may name, for the lookup by the end of a path.
_ROLE_KINDS: dict[str, frozenset[str] | None] = {
    "class": frozenset({"class"}),
    "exc": frozenset({"class"}),
    # properties are attributes in griffe; some docstrings call them methods
    "func": frozenset({"function", "attribute"}),
    "meth": frozenset({"function", "attribute"}),
    "attr": frozenset({"attribute", "function"}),
    "data": frozenset({"attribute"}),
    "const": frozenset({"attribute"}),
    "mod": frozenset({"module"}),
    "obj": None,
    "type": None,
}


def parse_role(content: str) -> tuple[str, str, bool]:
    """Split a role's content into (title, target, link?), as Sphinx reads it."""
    content = " ".join(content.split())  # a wrapped title is one line
    link = True
    if m := _EXPLICIT_TITLE_RE.match(content):
        title, target = m["title"].strip(), m["target"].strip()
        if title:
            return title, target.lstrip("~!"), True
        content = target
    if content.startswith("!"):
        link, content = False, content[1:]
    if content.startswith("~"):
        target = content[1:]
        path, paren, args = target.partition("(")
        return path.split(".")[-1] + paren + args, target, link
    return content.lstrip("."), content, link


def _code(title: str) -> str:
    """Inline code for a title (backticks inside it cannot be in a code span)."""
    return f"`{title}`" if "`" not in title else title


class Resolver:
    """Finds the objects role targets name, in one loaded package tree."""

    def __init__(self, package: Module) -> None:
        self.package = package
        self.collection = package.modules_collection
        self._by_path: dict[str, str] | None = None

    def _lookup(self, path: str) -> Object | Alias | None:
        try:
            obj = self.collection.get_member(path)
        except Exception:  # KeyError, alias resolution errors, bad paths
            return None
        return obj

    @staticmethod
    def _identifiers(obj: Object | Alias) -> list[str]:
        """Canonical path first (where the object is defined), then the path it was found at."""
        out: list[str] = []
        try:
            out.append(obj.canonical_path)
        except Exception:  # an alias to something not loaded (another package)
            return []
        if obj.path not in out:
            out.append(obj.path)
        return out

    def _index(self) -> dict[str, str]:
        """Canonical path -> kind, for every object defined in the package."""
        if self._by_path is None:
            self._by_path = {}

            def walk(obj: Object) -> None:
                self._by_path[obj.path] = obj.kind.value  # type: ignore[index]
                for member in obj.members.values():
                    if not member.is_alias:
                        walk(member)  # type: ignore[arg-type]

            walk(self.package)
        return self._by_path

    def _by_suffix(self, target: str, role: str) -> list[str]:
        """Objects whose path ends like ``target``; the longest unambiguous suffix wins."""
        kinds = _ROLE_KINDS.get(role)
        parts = target.split("(")[0].split(".")
        index = self._index()
        for k in range(len(parts) - 1 if len(parts) > 1 else 1, 0, -1):
            suffix = ".".join(parts[-k:])
            found = [
                path
                for path, kind in index.items()
                if (path == suffix or path.endswith("." + suffix))
                and (kinds is None or kind in kinds)
            ]
            if len(found) > 1:  # prefer the public one when a private twin exists
                public = [p for p in found if not any(c.startswith("_") for c in p.split("."))]
                found = public if len(public) == 1 else found
            if len(found) == 1:
                return found
            if found:
                return []  # ambiguous: do not guess
        return []

    def candidates(self, target: str, role: str, where: Object) -> tuple[list[str], list[str]]:
        """Identifiers that may name ``target`` written in the docstring of ``where``.

        Returns the identifiers of the object itself, and those of the class it is
        a member of (to link to when the member has no entry of its own, as
        attributes described only in their class's docstring have not).
        """
        name = target.split("(")[0].strip()
        relative = name.startswith(".")
        name = name.lstrip(".")
        scopes: list[Object] = []
        scope: Object | None = where if (where.is_class or where.is_module) else where.parent
        while scope is not None:
            scopes.append(scope)
            scope = scope.parent
        paths = [f"{s.path}.{name}" for s in scopes]
        if not relative:
            paths.append(name)
        own: list[str] = []
        enclosing: list[str] = []
        for path in paths:
            obj = self._lookup(path)
            if obj is not None:
                own.extend(self._identifiers(obj))
                break
        else:
            # a path into this package that no longer exists: moved, look for it
            # (not for other packages' names: html.escape is no function of ours)
            if name.startswith(self.package.name + "."):
                own.extend(self._by_suffix(name, role))
            obj = self._lookup(own[0]) if own else None
        if not relative:
            own.append(name)  # as written: autorefs may know it from elsewhere
        try:
            parent = obj.parent if obj is not None else None
            if parent is not None and parent.is_class:
                enclosing = self._identifiers(parent)
        except Exception:  # alias resolution
            enclosing = []
        return list(dict.fromkeys(p for p in own if p)), enclosing


def rewrite_roles(text: str, resolver: Resolver, where: Object) -> str:
    """Rewrite the roles in one docstring, leaving code blocks and doctests alone."""

    def replace(m: re.Match[str]) -> str:
        title, target, link = parse_role(m["content"])
        if not link or not target:
            return _code(title)
        if "`" in title:
            return title
        own, enclosing = resolver.candidates(target, m["role"], where)
        written = target.split("(")[0].strip()
        return f"[`{title}`][{MARKER}{written}@{'|'.join(own)}@{'|'.join(enclosing)}]"

    return "".join(
        ROLE_RE.sub(replace, chunk) if prose else chunk for prose, chunk in _split_code(text)
    )


def _split_code(text: str) -> Iterator[tuple[bool, str]]:
    """Yield (is_prose, chunk): fenced blocks and doctest runs are not prose."""
    lines = text.splitlines(keepends=True)
    i, prose = 0, []
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith(("```", "~~~")):
            if prose:
                yield True, "".join(prose)
                prose = []
            fence, block = stripped[:3], [lines[i]]
            i += 1
            while i < len(lines):
                block.append(lines[i])
                i += 1
                if block[-1].strip().startswith(fence):
                    break
            yield False, "".join(block)
        elif stripped.startswith(">>>"):
            if prose:
                yield True, "".join(prose)
                prose = []
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            yield False, "".join(block)
        else:
            prose.append(lines[i])
            i += 1
    if prose:
        yield True, "".join(prose)


def _objects(obj: Object) -> Iterator[Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:  # an alias shares its target's docstring
            yield from _objects(member)  # type: ignore[arg-type]


class DocRoles(Extension):
    """Rewrites Sphinx roles in every docstring of a package once it is loaded."""

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        resolver = Resolver(pkg)
        for obj in _objects(pkg):
            doc = obj.docstring
            if doc is not None and ":" in doc.value and "`" in doc.value:
                doc.value = rewrite_roles(doc.value, resolver, doc.parent or obj)  # type: ignore[arg-type]
