"""The store's subcommands of ``marsad``: ingest, search, serve, export (see docs/store.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from marsad.store.db import DEFAULT_DB
from marsad.store.watch import add_parser as add_watch_parser
from marsad.store.watch import run as run_watch

COMMANDS = ("ingest", "search", "serve", "export", "watch")


def add_parsers(sub: Any) -> None:
    db_help = f"SQLite file or postgresql://… URL (default: {DEFAULT_DB})"
    i = sub.add_parser("ingest", help="analyse articles and add the new ones to a store")
    i.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    i.add_argument("--db", default=DEFAULT_DB, help=db_help)
    i.add_argument("--config", metavar="FILE", help="settings file (TOML) over the defaults")
    i.add_argument("--disable", action="append", default=[], metavar="STAGE")
    i.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs)")
    i.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="analyse on a Dask cluster: tcp://HOST:PORT or 'local' (docs/scale.md)",
    )
    i.add_argument(
        "--dask-workers", type=int, default=None, metavar="N", help="with --scheduler local"
    )
    i.add_argument(
        "--no-collect",
        action="store_true",
        help="store the articles but leave the cross-article lists to the next ingest",
    )
    i.add_argument(
        "--recollect",
        action="store_true",
        help="rebuild the cross-article lists from every stored article (after changing the "
        "Arabic data files, which the saved state cannot tell)",
    )
    i.add_argument("-q", "--quiet", action="store_true")

    s = sub.add_parser("search", help="Arabic full-text search in a store")
    s.add_argument("query", nargs="?", default="", metavar="QUERY")
    s.add_argument("--db", default=DEFAULT_DB, help=db_help)
    s.add_argument("--entity", metavar="NAME", help="only articles mentioning this entity")
    s.add_argument("--outlet", metavar="X")
    s.add_argument("--since", metavar="YYYY-MM-DD")
    s.add_argument("--until", metavar="YYYY-MM-DD")
    s.add_argument("--story", metavar="ID")
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument(
        "--facets", action="store_true", help="also count matches per outlet, day, story, entity"
    )

    v = sub.add_parser("serve", help="read-only web app over a store")
    v.add_argument("--db", default=DEFAULT_DB, help=db_help)
    v.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument(
        "--allow-watchlists",
        action="store_true",
        help="let the app save and delete watchlists (its only writes, in their own table)",
    )

    x = sub.add_parser("export", help="export a store as JSONL, CSV or CoNLL")
    x.add_argument("--format", choices=("jsonl", "csv", "conll"), default="jsonl")
    x.add_argument(
        "--what", choices=("articles", "entities", "quotes", "stories"), default="articles"
    )
    x.add_argument("--db", default=DEFAULT_DB, help=db_help)
    x.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")

    add_watch_parser(sub)


def run(args: argparse.Namespace) -> int:
    commands = {
        "ingest": _ingest,
        "search": _search,
        "serve": _serve,
        "export": _export,
        "watch": run_watch,
    }
    return commands[args.command](args)


def _ingest(args: argparse.Namespace) -> int:
    from marsad.core.settings import load_settings
    from marsad.store.ingest import ingest

    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(
            unit=" articles", file=sys.stderr, dynamic_ncols=True, mininterval=0.5, disable=None
        )
    summary = ingest(
        args.paths,
        args.db,
        load_settings(args.config),
        disable=args.disable,
        jobs=args.jobs,
        collect=not args.no_collect,
        recollect=args.recollect,
        scheduler=args.scheduler or ("local" if args.dask_workers else None),
        dask_workers=args.dask_workers,
        progress=bar.update if bar is not None else None,
    )
    if bar is not None:
        bar.close()
    for e in [e for e in summary.errors if not e.skipped][:20]:
        print(f"marsad: {e.code} {e.path or ''} {e.doc or ''}: {e.reason}", file=sys.stderr)
    if not args.quiet:
        s = summary
        rate = s.stored / s.elapsed if s.elapsed else 0.0
        extra = ", ".join(f"{k}: {v}" for k, v in s.collected.items())
        print(
            f"marsad: {s.stored} stored, {s.skipped} already stored, "
            + (
                f"{s.skipped_records} skipped ("
                + ", ".join(f"{k}×{v}" for k, v in sorted(s.skipped_by_code.items()))
                + "), "
                if s.skipped_records
                else ""
            )
            + f"{s.failed} failed "
            f"in {s.elapsed:.1f} s ({rate:.0f} articles/s){'; ' + extra if extra else ''} → {args.db}",
            file=sys.stderr,
        )
    return 1 if summary.failed else 0


def _search(args: argparse.Namespace) -> int:
    from marsad.store.search import facets, search

    filters = {k: getattr(args, k) for k in ("entity", "outlet", "since", "until", "story")}
    hits = search(args.db, args.query, limit=args.limit, **filters)
    counts = facets(args.db, args.query, **filters) if args.facets else None
    if args.json:
        out = {"query": args.query, "hits": [h.to_json() for h in hits]}
        if counts is not None:
            out["facets"] = counts
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if counts is not None:
        print(f"{counts['total']} articles (counts over {counts['counted']})")
        for name in ("outlet", "day", "story", "entity"):
            print(f"  {name}: " + ", ".join(f"{c['value']} {c['count']}" for c in counts[name]))
    if not hits:
        print("لا نتائج — no results", file=sys.stderr)
    for k, h in enumerate(hits, 1):
        print(
            f"{k}. [{h.doc}] {h.title or ''} — {h.outlet or ''} {h.published or ''} ({h.score:.2f})"
        )
        for s in h.snippets:
            out, pos = [], s.start
            for a, b in s.highlights:
                out.append(
                    s.text[pos - s.start : a - s.start]
                    + "【"
                    + s.text[a - s.start : b - s.start]
                    + "】"
                )
                pos = b
            out.append(s.text[pos - s.start :])
            print(f"    {s.start}-{s.end}: {''.join(out)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from marsad.web.app import create_app

    app = create_app(args.db, allow_watchlists=args.allow_watchlists)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _export(args: argparse.Namespace) -> int:
    from marsad.store.db import DB
    from marsad.store.export import export

    with DB(args.db, readonly=True) as db:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
        try:
            n = export(db, args.format, args.what, out)
        except ValueError as e:
            print(f"marsad: error: {e}", file=sys.stderr)
            return 2
        finally:
            if args.output:
                out.close()
    print(f"marsad: exported {n} {args.what} → {args.output or 'stdout'}", file=sys.stderr)
    return 0
