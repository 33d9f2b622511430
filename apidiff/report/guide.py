"""The consumer migration guide as GitHub-flavoured Markdown or one self-contained HTML page.

The guide itself (plain data: :class:`~apidiff.core.guide.Guide`) is built by
:func:`apidiff.core.guide.assemble_guide` from the places a format gives (see
:func:`apidiff.api.build_guide`); :func:`apidiff.api.guide` does all of it from two sources.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

from apidiff.core.change import Severity
from apidiff.core.guide import Entry, Guide, Snippet, code, some
from apidiff.core.result import SourceInfo

__all__ = ["CSS", "PLACES_SHOWN", "render_html", "render_markdown"]

ICONS = {Severity.BREAKING: "✖", Severity.DANGEROUS: "⚠", Severity.SAFE: "✔"}
PLACES_SHOWN = 10  # places named per entry; the others are counted ("… N more")


# -- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\*_[]<>|"})  # a table: a 4 MB string escapes in C


def _md_text(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _md_code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_rich(text: str) -> str:
    """A to-do text: backticks delimit code, the rest is escaped."""
    parts = text.split("`")
    return "".join(_md_code(p) if i % 2 else _md_text(p) for i, p in enumerate(parts))


def _fence(snippet: Snippet) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", snippet.code)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{snippet.language}\n{snippet.code}\n{fence}"


class _Slugs:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, numbered repeats."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = self.seen.get(slug, 0)
        self.seen[slug] = count + 1
        return slug if count == 0 else f"{slug}-{count}"


def _label(info: SourceInfo, version: str | None) -> str:
    return f"{info.source} ({version})" if version else info.source


def _sides_labels(guide: Guide) -> tuple[str, str]:
    """How the examples' captions name the two sides: the API versions when they tell them apart."""
    if guide.old_version and guide.new_version and guide.old_version != guide.new_version:
        return guide.old_version, guide.new_version
    return "old", "new"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _intro(guide: Guide) -> tuple[str, str]:
    changes = guide.changes
    breaking = sum(c.severity is Severity.BREAKING for c in changes)
    dangerous = sum(c.severity is Severity.DANGEROUS for c in changes)
    noun = guide.place_noun
    if not changes:
        for_whom = f"{guide.consumer} uses no changed element" if guide.consumer else "No breaking or dangerous change"
        return f"{for_whom}: nothing to migrate.", ""
    verb = "reaches" if breaking + dangerous == 1 else "reach"
    summary = f"{breaking} breaking and {dangerous} dangerous change{'s' if breaking + dangerous != 1 else ''} " \
              f"{verb} {_plural(len(guide.places), noun)}."
    if guide.consumer:
        summary = f"For {guide.consumer}: {summary} Your affected {guide.usage_unit}: {', '.join(guide.operations)}."
    how = f"Each change is listed once, in the section of the element it is in, with the {noun}s it reaches, " \
          f"what to change, and an example before and after through one of those {noun}s."
    return summary, how


def _reach(entry: Entry, noun: str) -> str:
    """``Reaches 3 root fields: `a`, `b`, `c`.`` (a to-do style text: backticks delimit code)."""
    if not entry.places:
        return ""
    return f"Reaches {_plural(len(entry.places), noun)}: {some(entry.places, PLACES_SHOWN)}."


def _usages(entry: Entry, unit: str) -> str:
    return f"Your {unit}: {', '.join(code(u) for u in entry.usages)}." if entry.usages else ""


def _through(entry: Entry) -> str:
    return f"Example through {code(entry.example_at)}:" if entry.example_at and len(entry.places) > 1 else ""


def render_markdown(guide: Guide) -> str:
    """The guide as GitHub-flavoured Markdown."""
    slugs = _Slugs()
    old_side, new_side = _sides_labels(guide)
    title = f"Migration guide for {guide.consumer}" if guide.consumer else "Migration guide"
    lines = [f"# {_md_text(title)}", ""]
    slugs(title)
    lines += [f"From {_md_code(guide.old.source)}{f' ({_md_text(guide.old_version)})' if guide.old_version else ''} "
              f"to {_md_code(guide.new.source)}{f' ({_md_text(guide.new_version)})' if guide.new_version else ''}"
              f", {guide.mode.value} compatibility.", ""]
    summary, how = _intro(guide)
    lines += [_md_text(summary) + (f" {_md_text(how)}" if how else ""), ""]
    if not guide.sections:
        return "\n".join(lines)
    anchors = []
    body: list[str] = []
    for section in guide.sections:
        heading = section.title if not section.key else f"`{section.title}`"
        anchor = slugs(heading.replace("`", ""))
        anchors.append((section, anchor))
        body += [f"## {_md_code(section.title) if section.key else _md_text(section.title)}", ""]
        if section.description:
            body += [f"_{_md_text(section.description)}_", ""]
        for entry in section.entries:
            ch = entry.change
            title = f"{ICONS[ch.severity]} {ch.severity.value}: {ch.message}"
            slugs(title)
            body += [f"### {_md_text(title)}", ""]
            loc = ch.new_location or ch.old_location
            meta = [_md_code(ch.id), _md_code(ch.subject)] + ([_md_code(str(loc))] if loc else [])
            body += [" · ".join(meta), ""]
            for text in (_reach(entry, guide.place_noun), _usages(entry, guide.usage_unit)):
                if text:
                    body += [_md_rich(text), ""]
            body += [f"**What to do:** {_md_rich(entry.todo)}", ""]
            through = _through(entry)
            if through:
                body += [_md_rich(through), ""]
            if entry.same and entry.before is not None:
                body += [f"Before ({_md_text(old_side)}) and after ({_md_text(new_side)}), the same:", ""]
                body += [_fence(entry.before), ""]
            elif entry.before is not None or entry.after is not None:
                body += [f"Before ({_md_text(old_side)}):", ""]
                body += [_fence(entry.before) if entry.before else f"_{_md_rich(entry.before_note or '')}_", ""]
                body += [f"After ({_md_text(new_side)}):", ""]
                body += [_fence(entry.after) if entry.after else f"_{_md_rich(entry.after_note or '')}_", ""]
    lines += ["| changed in | breaking | dangerous |", "|---|---:|---:|"]
    for section, anchor in anchors:
        name = _md_code(section.title) if section.key else _md_text(section.title)
        lines.append(f"| [{name}](#{anchor}) | {section.count(Severity.BREAKING)} | "
                     f"{section.count(Severity.DANGEROUS)} |")
    lines.append("")
    return "\n".join(lines + body).rstrip("\n") + "\n"


# -- HTML ---------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #656d76; --bg: #ffffff; --panel: #f6f8fa;
  --line: #d0d7de; --breaking: #cf222e; --dangerous: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22;
  --line: #30363d; --breaking: #ff7b72; --dangerous: #d29922; } }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0 0 .5rem; } h2 { margin: 2.5rem 0 .5rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
p code, li code, h2 code, h3 code, td code { background: var(--panel); padding: .1em .3em; border-radius: 4px; }
h2 code { font-size: 1.3rem; }
.muted, .meta { color: var(--muted); }
.meta { font-size: 13px; margin: 0 0 .5rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .7rem; text-align: left; }
td.n { text-align: right; }
article { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: .8rem 1rem;
  margin: 1rem 0; }
article.breaking { border-left-color: var(--breaking); } article.dangerous { border-left-color: var(--dangerous); }
.badge { display: inline-block; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
  margin-right: .4rem; }
.badge.breaking { color: var(--breaking); } .badge.dangerous { color: var(--dangerous); }
.examples { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
@media (max-width: 50rem) { .examples { grid-template-columns: 1fr; } }
figure { margin: 0; min-width: 0; } figcaption { font-size: 13px; color: var(--muted); margin-bottom: .2rem; }
pre { margin: 0; padding: .7rem; overflow-x: auto; background: var(--panel); border-radius: 6px; }
.none { padding: .7rem; color: var(--muted); font-style: italic; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _html_rich(text: str) -> str:
    parts = text.split("`")
    return "".join(f"<code>{_e(p)}</code>" if i % 2 else _e(p) for i, p in enumerate(parts))


def _figure(caption: str, snippet: Snippet | None, missing: str) -> str:
    if snippet is None:
        return f'<figure><figcaption>{_e(caption)}</figcaption><div class="none">{_html_rich(missing)}</div></figure>'
    return (f'<figure><figcaption>{_e(caption)}</figcaption><pre><code class="language-{_e(snippet.language)}">'
            f"{escape(snippet.code, quote=False)}</code></pre></figure>")  # quotes need no escape here


def render_html(guide: Guide) -> str:
    """The guide as one self-contained HTML page (inline CSS, no script, every value escaped)."""
    style = CSS.strip()
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    old_side, new_side = _sides_labels(guide)
    summary, how = _intro(guide)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{digest}'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Migration guide: {_e(_label(guide.old, guide.old_version))} → "
        f"{_e(_label(guide.new, guide.new_version))}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Migration guide{_e(' for ' + guide.consumer) if guide.consumer else ''}</h1>",
        f'<p class="muted">From <code>{_e(guide.old.source)}</code>'
        f"{f' ({_e(guide.old_version)})' if guide.old_version else ''} to <code>{_e(guide.new.source)}</code>"
        f"{f' ({_e(guide.new_version)})' if guide.new_version else ''}, {_e(guide.mode.value)} compatibility.</p>",
        f"<p>{_e(summary)}{f' {_e(how)}' if how else ''}</p>",
    ]
    if guide.sections:
        out += ['<table><thead><tr><th>changed in</th><th>breaking</th><th>dangerous</th></tr></thead><tbody>']
        for i, section in enumerate(guide.sections):
            name = f"<code>{_e(section.title)}</code>" if section.key else _e(section.title)
            out.append(f'<tr><td><a href="#s{i + 1}">{name}</a></td><td class="n">'
                       f'{section.count(Severity.BREAKING)}</td><td class="n">{section.count(Severity.DANGEROUS)}'
                       "</td></tr>")
        out.append("</tbody></table>")
    for i, section in enumerate(guide.sections):
        name = f"<code>{_e(section.title)}</code>" if section.key else _e(section.title)
        out.append(f'<section id="s{i + 1}">')
        out.append(f"<h2>{name}</h2>")
        if section.description:
            out.append(f'<p class="muted">{_e(section.description)}</p>')
        for entry in section.entries:
            ch = entry.change
            sev = ch.severity.value
            loc = ch.new_location or ch.old_location
            meta = [f"<code>{_e(ch.id)}</code>", f"<code>{_e(ch.subject)}</code>"]
            if loc is not None:
                meta.append(f"<code>{_e(loc)}</code>")
            out.append(f'<article class="{_e(sev)}">')
            out.append(f'<h3><span class="badge {_e(sev)}">{_e(sev)}</span>{_e(ch.message)}</h3>')
            out.append(f'<p class="meta">{" · ".join(meta)}</p>')
            for text in (_reach(entry, guide.place_noun), _usages(entry, guide.usage_unit)):
                if text:
                    out.append(f"<p>{_html_rich(text)}</p>")
            out.append(f"<p><strong>What to do:</strong> {_html_rich(entry.todo)}</p>")
            through = _through(entry)
            if through:
                out.append(f'<p class="muted">{_html_rich(through)}</p>')
            if entry.same and entry.before is not None:
                out.append('<div class="examples">')
                out.append(_figure(f"Before ({old_side}) and after ({new_side}), the same", entry.before, ""))
                out.append("</div>")
            elif entry.before is not None or entry.after is not None:
                out.append('<div class="examples">')
                out.append(_figure(f"Before ({old_side})", entry.before, entry.before_note or ""))
                out.append(_figure(f"After ({new_side})", entry.after, entry.after_note or ""))
                out.append("</div>")
            out.append("</article>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
