"""mkdocs hook for the docs site: resolve the role cross-references, check for raw roles.

The griffe extension ``tools/docroles.py`` turns each Sphinx role of a docstring
into an autorefs reference whose identifier lists candidates,
``docrole:Schedule.certainty@approval_clock.schedule.Schedule.certainty@approval_clock.schedule.Schedule``
(the target as written, the candidates for the object, those for its class).
Once every page is rendered (``on_env``), and before mkdocs-autorefs resolves
references, this hook keeps, for each, the first candidate autorefs knows: the
object's, else its class's (an attribute described only in its class's docstring
has no entry of its own; the link then carries ``data-docrole="enclosing"``). If
the site documents none of them (a private module, the standard library, a name
that moved), the reference becomes the title as inline code, marked
``<span class="docrole-fallback" data-docrole-target="...">``, and is logged at
INFO level: the build does not fail for it, and ``tools/check_site.py`` lists it.

After each page is written out (``on_post_page``), a raw role left in the page
(``:class:`X```) is a warning, so ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from check_site import find_raw_roles
from mkdocs.plugins import event_priority, get_plugin_logger

MARKER = "docrole:"  # as in tools/docroles.py

log = get_plugin_logger("docroles")

_AUTOREF_RE = re.compile(r"<autoref (?P<attrs>[^>]*)>(?P<title>.*?)</autoref>", re.DOTALL)
_ID_RE = re.compile(r'identifier="' + re.escape(MARKER) + r'(?P<ids>[^"]*)"')
_ATTR_RE = re.compile(r'(?P<name>[\w-]+)="(?P<value>[^"]*)"')

_stats: Counter[str] = Counter()
_fallbacks: Counter[str] = Counter()


def on_pre_build(config: Any, **kwargs: Any) -> None:
    _stats.clear()
    _fallbacks.clear()


@event_priority(-45)  # after mkdocstrings registers inventories (50), before autorefs (-50)
def on_env(env: Any, config: Any, files: Any, **kwargs: Any) -> Any:
    autorefs = config.plugins["autorefs"]
    for file in files:
        page = file.page
        if page is None or not page.content or MARKER not in page.content:
            continue

        def resolve(m: re.Match[str], page: Any = page) -> str:
            found = _ID_RE.search(m["attrs"])
            if found is None:
                return m[0]  # an autoref someone wrote: autorefs' business
            target, own, enclosing = [*html.unescape(found["ids"]).split("@"), "", ""][:3]
            tries = [(i, "") for i in own.split("|") if i]
            tries += [(i, ' data-docrole="enclosing"') for i in enclosing.split("|") if i]
            for identifier, note in tries:
                try:
                    autorefs.get_item_url(identifier, from_url=page.url)
                except KeyError:
                    continue
                _stats["enclosing" if note else "linked"] += 1
                attrs = m["attrs"].replace(
                    found[0], f'identifier="{html.escape(identifier)}"{note}'
                )
                return f"<autoref {attrs}>{m['title']}</autoref>"
            attrs = dict(_ATTR_RE.findall(m["attrs"]))
            where = attrs.get("origin") or page.file.src_path
            if attrs.get("filepath"):
                where = f"{where} ({attrs['filepath']}:{attrs.get('lineno', '?')})"
            log.info(
                "%s: %s: no page documents %r; shown as code", page.file.src_path, where, target
            )
            _stats["code"] += 1
            _fallbacks[target] += 1
            title = html.escape(f"{target}: not in these docs", quote=True)
            return (
                f'<span class="docrole-fallback" data-docrole-target="{html.escape(target)}"'
                f' title="{title}">{m["title"]}</span>'
            )

        page.content = _AUTOREF_RE.sub(resolve, page.content)
    return env


def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    for snippet in find_raw_roles(output):
        log.warning(
            "%s: raw reST role left in the page (not rewritten by tools/docroles.py): ...%s...",
            page.file.src_path,
            snippet,
        )
    return output


def on_post_build(config: Any, **kwargs: Any) -> None:
    if _stats:
        log.info(
            "role cross-references: %d linked, %d to their class (no entry of their own), "
            "%d shown as code (targets not documented: %s)",
            _stats["linked"],
            _stats["enclosing"],
            _stats["code"],
            ", ".join(sorted(_fallbacks)) or "none",
        )
