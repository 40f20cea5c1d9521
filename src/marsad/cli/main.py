"""The ``marsad`` command line: a thin layer over the library.

Exit codes: 0 all articles processed; 1 some articles failed (each listed under ``errors``);
2 usage errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import logging
import sys
from collections.abc import Sequence

from marsad.cli.store import COMMANDS as STORE_COMMANDS
from marsad.cli.store import add_parsers as add_store_parsers
from marsad.cli.store import run as run_store_command
from marsad.core.errors import UsageError
from marsad.core.version import VERSION as __version__

EVALUATIONS = {
    "boilerplate": "block labelling on real articles with inserted site chrome",
    "ner": "named entities: CoNLL span P/R/F1 on a CoNLL file",
    "entities": "entity list: top-200 type accuracy and junk rate on the entity-list gold",
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
    a.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the per-article stages on a Dask cluster: tcp://HOST:PORT of a running "
        "scheduler, or 'local' to start a local cluster (needs marsad[dask]; docs/scale.md)",
    )
    a.add_argument(
        "--dask-workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes of the local cluster (--scheduler local; default 2)",
    )
    _progress_args(a)

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
        help="gold split to use (dev, test, or a further part such as test2 or dev2: the name of its file),"
        " where the gold set has splits",
    )
    e.add_argument("--limit", type=int, default=None, help="evaluate on at most this many items")
    e.add_argument(
        "--gold", dest="gold_option", default=None, help="gold file or folder (same as GOLD)"
    )
    e.add_argument(
        "--multi",
        action="store_true",
        help="summary: multi-article summaries on the event gold (key-fact coverage)",
    )

    t = sub.add_parser("train", help="train a model shipped with marsad")
    t.add_argument("what", choices=["ner", "quotes"])
    t.add_argument("args", nargs=argparse.REMAINDER, help="options passed to the trainer")

    sub.add_parser("stages", help="list the pipeline stages in order")
    add_store_parsers(sub)  # ingest, search, serve, export, watch
    return p


def _progress_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary line")
    p.add_argument(
        "--log-json",
        nargs="?",
        const="-",
        default=None,
        metavar="FILE",
        help="JSON lines of progress and the final summary, on stderr (no FILE; then no "
        "progress bar) or appended to FILE",
    )


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
            mod = importlib.import_module(f"marsad.train.{args.what}")
            return int(mod.main(args.args) or 0)
        if args.command in STORE_COMMANDS:
            return run_store_command(args)
        if args.command == "stages":
            from marsad.run.pipeline import Pipeline

            for st in Pipeline().stages:
                uses = f"  uses {', '.join(st.uses)}" if st.uses else ""
                print(
                    f"{st.name:<12} requires {', '.join(st.requires) or '-':<30} "
                    f"assigns {', '.join(st.assigns)}{uses}"
                )
            return 0
    except UsageError as e:
        print(f"marsad: error: {e}\n  fix: {e.fix}", file=sys.stderr)
        return 2
    return 2


def _analyze(args: argparse.Namespace) -> int:
    from marsad.cli.progress import Progress, open_log
    from marsad.core.settings import load_settings
    from marsad.output.directory import analyze_to_dir
    from marsad.run.pipeline import Pipeline

    settings = load_settings(args.config)
    Pipeline(settings=settings, disable=args.disable)  # check stage names and order first
    if args.scheduler is not None and args.jobs > 1:
        print("marsad: error: use either --jobs or --scheduler, not both", file=sys.stderr)
        return 2
    if args.dask_workers is not None and args.scheduler is None:
        args.scheduler = "local"
    if args.scheduler is not None and importlib.util.find_spec("distributed") is None:
        print(
            "marsad: error: --scheduler needs Dask\n  fix: pip install 'marsad[dask]'",
            file=sys.stderr,
        )
        return 2
    log = open_log(args.log_json)
    prog = Progress(
        args.paths,
        bar=not args.quiet and args.log_json != "-",
        log=log,
        summary_line=not args.quiet,
    )
    try:
        summary = analyze_to_dir(
            args.paths,
            args.output,
            settings,
            disable=args.disable,
            progress=prog.update,
            report=not args.no_report,
            jobs=max(1, args.jobs),
            scheduler=args.scheduler,
            dask_workers=args.dask_workers,
        )
        prog.close(summary, args.output)
    finally:
        if log is not None and log is not sys.stderr:
            log.close()
    return 1 if summary.failed else 0


def _eval(args: argparse.Namespace) -> int:
    try:
        mod = importlib.import_module(f"marsad.evaluate.{args.what}")
    except ModuleNotFoundError:
        print(f"marsad: error: no evaluation for '{args.what}' yet", file=sys.stderr)
        return 2
    opts = {k: v for k, v in (("split", args.split), ("limit", args.limit)) if v is not None}
    if args.multi:
        opts["multi"] = True
    result = mod.evaluate(args.gold_option or args.gold, **opts)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(mod.format_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
