"""The ``marsad`` command line: a thin layer over the library.

Exit codes: 0 all articles processed; 1 some articles failed (each listed under ``errors``);
2 usage errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Sequence

from marsad import __version__
from marsad.errors import ErrorRecord, UsageError

EVALUATIONS = {
    "boilerplate": "block labelling on real articles with inserted site chrome",
    "ner": "named entities: CoNLL span P/R/F1 on a CoNLL file",
    "quotes": "quotations: content-span F1 and speaker accuracy on a gold file",
    "time": "temporal expressions: span F1 and value accuracy",
    "figures": "figures: span F1 and value accuracy",
    "stories": "story clustering: B-cubed precision/recall/F1",
    "summary": "summaries: ROUGE against reference leads",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="marsad",
        description="marsad (مرصد): turn Arabic news articles into a source-cited briefing.",
    )
    p.add_argument("--version", action="version", version=f"marsad {__version__}")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("analyze", help="analyse articles; write analysis.json and report.html")
    a.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files or folders (.txt .html .json .jsonl, RSS/Atom feeds, .warc, .gz)",
    )
    a.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    a.add_argument("--config", metavar="FILE", help="settings file (TOML) over the defaults")
    a.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="STAGE",
        help="switch a stage off (repeatable)",
    )
    a.add_argument("--no-report", action="store_true", help="do not write report.html")
    a.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="run the per-article stages on N processes",
    )
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary line")

    e = sub.add_parser("eval", help="evaluate a stage on gold data")
    e.add_argument(
        "what",
        choices=sorted(EVALUATIONS),
        help="; ".join(f"{k}: {v}" for k, v in EVALUATIONS.items()),
    )
    e.add_argument(
        "gold", nargs="?", help="gold file or folder (default: the stage's own gold set)"
    )
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument(
        "--split",
        default=None,
        help="gold split to use (dev or test), where the gold set has splits",
    )
    e.add_argument("--limit", type=int, default=None, help="evaluate on at most this many items")

    t = sub.add_parser("train", help="train a model shipped with marsad")
    t.add_argument("what", choices=["ner"])
    t.add_argument("args", nargs=argparse.REMAINDER, help="options passed to the trainer")

    sub.add_parser("stages", help="list the pipeline stages in order")
    from marsad.store.cli import add_parsers

    add_parsers(sub)  # ingest, search, serve, export
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "analyze":
            return _analyze(args)
        if args.command == "eval":
            return _eval(args)
        if args.command == "train":
            mod = importlib.import_module(f"marsad.extract.{args.what}.train")
            return int(mod.main(args.args) or 0)
        if args.command in ("ingest", "search", "serve", "export"):
            from marsad.store.cli import run

            return run(args)
        if args.command == "stages":
            from marsad.pipeline import registered

            for st in registered().values():
                print(
                    f"{st.name:<12} requires {', '.join(st.requires) or '-':<30} assigns {', '.join(st.assigns)}"
                )
            return 0
    except UsageError as e:
        print(f"marsad: error: {e}\n  fix: {e.fix}", file=sys.stderr)
        return 2
    return 2


def _analyze(args: argparse.Namespace) -> int:
    from marsad.analyze import analyze_to_dir
    from marsad.pipeline import Pipeline
    from marsad.settings import load_settings

    settings = load_settings(args.config)
    Pipeline(settings=settings, disable=args.disable)  # check stage names and order first
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(
            unit=" articles", file=sys.stderr, dynamic_ncols=True, mininterval=0.5, disable=None
        )

    def progress(item) -> None:
        if bar is not None:
            bar.update(1)
            if isinstance(item, ErrorRecord):
                bar.set_postfix_str(f"failed: {item.code}", refresh=False)

    summary = analyze_to_dir(
        args.paths,
        args.output,
        settings,
        disable=args.disable,
        progress=progress,
        report=not args.no_report,
        jobs=max(1, args.jobs),
    )
    if bar is not None:
        bar.close()
    if not args.quiet:
        codes = ", ".join(f"{k}×{v}" for k, v in sorted(summary.by_code.items()))
        print(
            f"marsad: {summary.analysed} analysed, {summary.failed} failed"
            f"{' (' + codes + ')' if codes else ''} in {summary.elapsed:.1f} s → {args.output}",
            file=sys.stderr,
        )
    return 1 if summary.failed else 0


def _eval(args: argparse.Namespace) -> int:
    try:
        mod = importlib.import_module(f"marsad.evaluate.{args.what}")
    except ModuleNotFoundError:
        print(f"marsad: error: no evaluation for '{args.what}' yet", file=sys.stderr)
        return 2
    opts = {k: v for k, v in (("split", args.split), ("limit", args.limit)) if v is not None}
    result = mod.evaluate(args.gold, **opts)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(mod.format_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
