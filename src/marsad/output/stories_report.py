"""The stories section of ``report.html``: one card per story.

Each card shows the story's headline, outlets and dates, the cited summary (every sentence
links to its block in the report, ``#doc-N-bI``, with the span's offsets), the timeline, who
said what, the figures comparison, contradictions, shared passages and the articles. Stories
of one article are listed compactly after the others. All text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

CSS = (
    "<style>section.stories .story{background:#fff;border:1px solid var(--line);"
    "border-radius:8px;padding:1rem 1.25rem;margin:1.25rem 0}"
    "section.stories h3{margin:.2rem 0}section.stories h4{margin:.8rem 0 .3rem;font-size:1rem}"
    "section.stories .muted{color:var(--muted);font-size:.85rem}"
    "section.stories .differ{color:#a61e4d}section.stories ol,section.stories ul"
    "{padding-inline-start:1.4rem;margin:.2rem 0}</style>"
)


def _link(c: dict[str, Any], pos: dict[str, int]) -> str:
    n = pos.get(c["doc"])
    label = f"{escape(c['doc'])} [{c['start']}–{c['end']}]"
    if n is None:
        return f'<span class="muted">{label}</span>'
    anchor = f"doc-{n}-b{c['block']}" if isinstance(c.get("block"), int) else f"doc-{n}"
    return f'<a href="#{anchor}" class="muted" title="{label}">{label}</a>'


def _cited(c: dict[str, Any], pos: dict[str, int]) -> str:
    return f"{escape(c['text'])} {_link(c, pos)}"


def render_story(st: dict[str, Any]) -> str:
    pos = dict(zip(st["documents"], st.get("document_positions") or [], strict=False))
    dates = " – ".join(x for x in {st.get("first"): 0, st.get("last"): 0} if x)
    out = [
        f'<div class="story" id="{escape(st["id"])}">',
        f"<h3>{escape(st.get('headline') or st.get('title') or st['id'])}</h3>",
        f'<p class="muted">{len(st["documents"])} مقالات · '
        f"{escape('، '.join(o for o in st.get('outlets', []) if o))} · {escape(dates)}</p>",
    ]
    if st["summary"]:
        out.append("<h4>الملخص</h4><ol>")
        out += [f"<li>{_cited(c, pos)}</li>" for c in st["summary"]]
        out.append("</ol>")
    if st["timeline"]:
        out.append("<h4>التسلسل الزمني</h4><table>")
        for t in st["timeline"]:
            out.append(f"<tr><td>{escape(t['date'])}</td><td>{_cited(t, pos)}</td></tr>")
        out.append("</table>")
    if st.get("statements"):
        out.append("<h4>من قال ماذا</h4><ul>")
        for g in st["statements"]:
            items = "".join(f"<li>{_cited(s, pos)}</li>" for s in g["statements"])
            out.append(f"<li><b>{escape(g['speaker'])}</b><ul>{items}</ul></li>")
        out.append("</ul>")
    if st.get("figures"):
        out.append("<h4>الأرقام</h4><table>")
        for g in st["figures"]:
            cls = "" if g["agree"] else ' class="differ"'
            vals = "<br>".join(
                f"{escape(str(v['value']))} — {escape('، '.join(o or '' for o in v['outlets']))}: "
                + " ".join(_link(m, pos) for m in v["mentions"])
                for v in g["values"]
            )
            verdict = "متفقة" if g["agree"] else "متباينة"
            out.append(
                f"<tr{cls}><td>{escape(g['subject'])} {escape(g.get('unit') or '')}</td>"
                f"<td>{verdict}</td><td>{vals}</td></tr>"
            )
        out.append("</table>")
    if st.get("contradictions"):
        out.append("<h4>تناقضات محتملة</h4><ul>")
        for c in st["contradictions"]:
            out.append(
                f'<li><span class="differ">{escape(c["cue"] or "")}</span> '
                f"{_cited(c['negated'], pos)}<br>↔ {_cited(c['affirmed'], pos)}</li>"
            )
        out.append("</ul>")
    passages = [d for d in st.get("duplicates", []) if d["kind"] == "passage"]
    dups = [d for d in st.get("duplicates", []) if d["kind"] == "article"]
    if dups or passages:
        out.append("<h4>نصوص مكررة</h4><ul>")
        for d in dups:
            out.append(f"<li>{escape(' = '.join(d['docs']))} ({d['similarity']})</li>")
        for d in passages:
            for a, b in d["passages"][:3]:
                out.append(f"<li>{_cited(a, pos)}<br>= {_link(b, pos)}</li>")
        out.append("</ul>")
    out.append("<h4>المقالات</h4><ul>")
    out += [
        f'<li><a href="#doc-{pos[d]}">{escape(d)}</a></li>' if d in pos else f"<li>{escape(d)}</li>"
        for d in st["documents"]
    ]
    out.append("</ul></div>")
    return "".join(out)


def section(extra: dict[str, list[dict[str, Any]]], summary: dict) -> str:
    stories = extra.get("stories") or []
    if not stories:
        return ""
    multi = [s for s in stories if len(s["documents"]) > 1]
    single = [s for s in stories if len(s["documents"]) == 1]
    parts = [CSS, '<section class="stories"><h2>القصص</h2>']
    parts += [render_story(s) for s in multi]
    if single:
        parts.append("<h3>قصص من مقال واحد</h3><ul>")
        for s in single:
            pos = dict(zip(s["documents"], s.get("document_positions") or [], strict=False))
            d = s["documents"][0]
            href = f' href="#doc-{pos[d]}"' if d in pos else ""
            parts.append(f"<li><a{href}>{escape(s.get('title') or d)}</a></li>")
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)
