"""Progress and accounting: JSON lines (--log-json), the summary line, --quiet, skipped items,
and the cheap count behind the ETA."""

from __future__ import annotations

import json

from conftest import EXAMPLES
from marsad.cli.main import main


def test_log_json_file_and_summary_line(tmp_path, capsys):
    log = tmp_path / "log.jsonl"
    rc = main(["analyze", str(EXAMPLES), "-o", str(tmp_path / "out"), "--log-json", str(log)])
    assert rc == 0
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["event"] == "progress" and lines[-1]["event"] == "summary"
    summary = lines[-1]
    written = json.loads((tmp_path / "out" / "analysis.json").read_text(encoding="utf-8"))
    for key in ("read", "analysed", "skipped", "failed", "failed_by_code", "skipped_by_code"):
        assert summary[key] == written["summary"][key]
    assert summary["read"] == len(written["documents"]) + len(written["errors"]) > 0
    assert summary["articles_per_second"] > 0
    for p in lines[:-1]:
        assert {
            "read",
            "analysed",
            "elapsed_seconds",
            "articles_per_second",
            "eta_seconds",
        } <= p.keys()
    err = capsys.readouterr().err
    assert f"{summary['read']} read: {summary['analysed']} analysed, 0 skipped, 0 failed" in err


def test_log_json_on_stderr_and_quiet(tmp_path, capsys):
    assert main(["analyze", str(EXAMPLES), "-o", str(tmp_path / "a"), "--log-json", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    events = [json.loads(x)["event"] for x in err]  # nothing but JSON lines on stderr
    assert events[-1] == "summary"
    assert main(["analyze", str(EXAMPLES), "-o", str(tmp_path / "b"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_skipped_items_are_counted_apart_from_failures():
    from marsad.cli.progress import summary_line
    from marsad.core.errors import ArticleError, ErrorRecord
    from marsad.run.analyze import RunSummary

    s = RunSummary()
    s.count(ErrorRecord.from_error(ArticleError("E007", detail="x"), path="a"))
    s.count(ErrorRecord("E007", "x", severity="skip"))  # what the readers mark as skip
    s.count(ErrorRecord("E007", "x", severity="skip"))
    j = s.to_json()
    assert (j["read"], j["failed"], j["skipped"]) == (3, 1, 2)
    assert j["failed_by_code"] == {"E007": 1} and j["skipped_by_code"] == {"E007": 2}
    assert "2 skipped (E007×2), 1 failed (E007×1)" in summary_line(s)


def test_count_records(tmp_path):
    from marsad.cli.progress import count_records

    assert count_records([EXAMPLES]) == 11  # 8 single-article files + the 3 lines of a feed
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("z", encoding="utf-8")
    assert count_records([tmp_path]) == 3
    (tmp_path / "c.json").write_text("[]", encoding="utf-8")
    assert count_records([tmp_path]) is None  # a JSON list: unknown without parsing
