"""Progress and accounting of a run on stderr: a progress bar, JSON lines, a summary line.

The total for the ETA is counted in a background thread while the run goes on, so it
never delays the start: a ``.txt``/``.html`` file counts as one article, a ``.jsonl``
file (also ``.gz``) as its non-empty lines (a fast byte scan); any other kind of file (a JSON
list, a feed, an archive) makes the total unknown, and the bar then shows the count and the
rate only. Until the count is done the bar shows the rate only too.
"""

from __future__ import annotations

import gzip
import json
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from marsad.core.errors import ErrorRecord
from marsad.run.analyze import RunSummary

#: Seconds between two JSON progress lines.
LOG_INTERVAL = 1.0


def count_records(paths: Iterable[str]) -> int | None:
    """Articles under ``paths``, or None when it cannot be known without parsing."""
    from marsad.readers import iter_files, kind_of

    total = 0
    for f in iter_files(paths):
        if isinstance(f, ErrorRecord):
            total += 1  # one error record
            continue
        fmt, compressed = kind_of(f)
        if fmt in ("text", "html"):
            total += 1
        elif fmt == "jsonl":
            opener = gzip.open if compressed else open
            try:
                with opener(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1  # unreadable: one error record
        else:
            return None
    return total


class Progress:
    """``update(item)`` per result, ``close(summary)`` at the end.

    ``bar``: a tqdm bar on stderr (articles/s and, once the total is known, ETA).
    ``log``: a stream for JSON lines (``{"event": "progress", ...}`` at most every
    :data:`LOG_INTERVAL` seconds, and ``{"event": "summary", ...}`` at the end)."""

    def __init__(
        self,
        paths: list[str],
        bar: bool = True,
        log: IO[str] | None = None,
        summary_line: bool = True,
        count: bool = True,
    ):
        self.summary = RunSummary()
        self.t0 = time.perf_counter()
        self.log = log
        self.summary_line = summary_line
        self.total: int | None = None
        self._last_log = 0.0
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(
                unit=" articles",
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.5,
                disable=None,  # off when stderr is not a terminal
            )
        if count and (self.bar is not None or log is not None):
            threading.Thread(target=self._count, args=(list(paths),), daemon=True).start()

    def _count(self, paths: list[str]) -> None:
        try:
            total = count_records(paths)
        except Exception:  # counting is a nicety: never stop the run
            return
        self.total = total
        if self.bar is not None and total is not None:
            self.bar.total = total
            self.bar.refresh()

    def update(self, item: Any) -> None:
        self.summary.count(item)
        if self.bar is not None:
            self.bar.update(1)
            if isinstance(item, ErrorRecord):
                self.bar.set_postfix_str(
                    f"{'skipped' if item.skipped else 'failed'}: {item.code}", refresh=False
                )
        if self.log is not None:
            now = time.perf_counter()
            if now - self._last_log >= LOG_INTERVAL:
                self._last_log = now
                self._emit("progress", now)

    def _emit(self, event: str, now: float, summary: RunSummary | None = None) -> None:
        s = summary or self.summary
        elapsed = now - self.t0
        rate = s.read / elapsed if elapsed > 0 else 0.0
        rec: dict[str, Any] = {"event": event}
        if summary is not None:
            rec.update(summary.to_json())
        else:
            rec.update(
                read=s.read,
                analysed=s.analysed,
                skipped=s.skipped,
                failed=s.failed,
                elapsed_seconds=round(elapsed, 3),
            )
        rec["articles_per_second"] = round(rate, 2)
        if event == "progress":
            rec["total"] = self.total
            rec["eta_seconds"] = (
                round((self.total - s.read) / rate, 1) if self.total and rate > 0 else None
            )
        assert self.log is not None
        self.log.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self.log.flush()

    def close(self, summary: RunSummary, out: str | None = None) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.log is not None:
            self._emit("summary", self.t0 + summary.elapsed, summary)
        if self.summary_line:
            print(summary_line(summary, out), file=sys.stderr)


def _codes(by_code: dict[str, int]) -> str:
    return ", ".join(f"{k}×{v}" for k, v in sorted(by_code.items()))


def summary_line(s: RunSummary, out: str | None = None) -> str:
    """``marsad: 120 read: 117 analysed, 1 skipped (E018×1), 2 failed (E004×2) in 3.1 s …``"""
    parts = [f"{s.analysed} analysed"]
    skipped = f"{s.skipped} skipped"
    if s.skipped_by_code:
        skipped += f" ({_codes(s.skipped_by_code)})"
    parts.append(skipped)
    failed = f"{s.failed} failed"
    if s.by_code:
        failed += f" ({_codes(s.by_code)})"
    parts.append(failed)
    rate = s.read / s.elapsed if s.elapsed > 0 else 0.0
    line = f"marsad: {s.read} read: {', '.join(parts)} in {s.elapsed:.1f} s ({rate:.1f} articles/s)"
    return line + (f" → {out}" if out else "")


def open_log(target: str | None) -> IO[str] | None:
    """``--log-json``: ``-`` is stderr, anything else a file (appended to)."""
    if target is None:
        return None
    if target == "-":
        return sys.stderr
    return open(Path(target), "a", encoding="utf-8")
