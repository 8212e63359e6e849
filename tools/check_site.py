"""Check a built docs site: no raw reST roles left, and which role targets fell back.

Run after ``mkdocs build``::

    python tools/check_site.py site

It fails (exit 1) if any page of the site still shows a Sphinx role as text
(``:class:`X```, rendered by Markdown as ``:class:<code>X</code>``): the griffe
extension ``tools/docroles.py`` turns those into links. It also lists the role
targets that the mkdocs hook ``tools/docroles_hook.py`` rendered as plain code
because nothing on the site documents them (``class="docrole-fallback"``); those
are reported, and fail the check only with ``--no-fallbacks``. It counts the
references linked to their class's entry (``data-docrole="enclosing"``: an
attribute described only in its class's docstring).

Standard library only; the mkdocs hook imports ``find_raw_roles`` from here, so
the build and this check agree on what a raw role is.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from pathlib import Path

ROLES = "class|exc|func|meth|attr|data|const|mod|obj|type|ref|doc|term|any"
# :class:`X` as Markdown renders it (:class:<code>X</code>), or left as text.
RAW_ROLE_RE = re.compile(rf"(?<![\w:]):(?:py:)?(?:{ROLES}):(?:<code>|`)")
# Code blocks may show a role on purpose (a page about docstrings).
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_CODE_RE = re.compile(r"<code\b[^>]*>.*?</code>", re.DOTALL | re.IGNORECASE)
FALLBACK_RE = re.compile(r'<span class="docrole-fallback" data-docrole-target="(?P<target>[^"]*)"')
# a member with no entry of its own, linked to its class's entry instead
ENCLOSING_RE = re.compile(r'<a [^>]*data-docrole="enclosing"')


def find_raw_roles(page_html: str) -> list[str]:
    """The raw roles in a page's HTML, each with some text around it."""
    text = _PRE_RE.sub("", page_html)
    code_spans = [m.span() for m in _CODE_RE.finditer(text)]
    out = []
    for m in RAW_ROLE_RE.finditer(text):
        if any(start < m.start() < end for start, end in code_spans):
            continue  # the role is itself shown as code
        around = re.sub(r"<[^>]+>", "", text[max(0, m.start() - 40) : m.end() + 60])
        out.append(" ".join(html.unescape(around).split()))
    return out


def find_fallbacks(page_html: str) -> list[str]:
    """Role targets rendered as code because the site documents nothing by that name."""
    return [html.unescape(m["target"]) for m in FALLBACK_RE.finditer(page_html)]


SHOWN = 20  # raw roles listed; the count is always given


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site directory (mkdocs --site-dir)")
    parser.add_argument(
        "--no-fallbacks",
        action="store_true",
        help="also fail if a role target could not be linked (rendered as code)",
    )
    args = parser.parse_args(argv)
    pages = sorted(args.site.rglob("*.html"))
    if not pages:
        print(f"check_site: no HTML pages under {args.site}", file=sys.stderr)
        return 1
    raw: list[tuple[Path, str]] = []
    fallbacks: Counter[tuple[str, str]] = Counter()
    enclosing = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(args.site)
        raw.extend((rel, snippet) for snippet in find_raw_roles(text))
        fallbacks.update((str(rel), target) for target in find_fallbacks(text))
        enclosing += len(ENCLOSING_RE.findall(text))
    for (rel, target), n in sorted(fallbacks.items()):
        times = f" ({n} times)" if n > 1 else ""
        print(f"check_site: {rel}: role target {target!r} is not documented: shown as code{times}")
    for rel, snippet in raw[:SHOWN]:
        print(
            f"check_site: {rel}: raw reST role left in the page: ...{snippet}...", file=sys.stderr
        )
    if len(raw) > SHOWN:
        print(f"check_site: ... and {len(raw) - SHOWN} more raw roles", file=sys.stderr)
    print(
        f"check_site: {len(pages)} pages, {len(raw)} raw roles, "
        f"{sum(fallbacks.values())} role targets shown as code, "
        f"{enclosing} linked to their class (no entry of their own)"
    )
    return 1 if raw or (args.no_fallbacks and fallbacks) else 0


if __name__ == "__main__":
    sys.exit(main())
