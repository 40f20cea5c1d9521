"""The command line: outputs, exit codes 0 / 1 / 2, report.html escaping and direction."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLES
from marsad.cli.main import main


def test_analyze_sample(tmp_path):
    assert main(["analyze", str(EXAMPLES), "-o", str(tmp_path), "-q"]) == 0
    data = json.loads((tmp_path / "analysis.json").read_text("utf-8"))
    assert len(data["documents"]) == 11 and data["errors"] == []
    assert data["summary"]["analysed"] == 11
    html = (tmp_path / "report.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "k-boilerplate" in html and "السوداني" in html
    assert not list(tmp_path.glob("*.part"))


def test_exit_1_when_some_articles_fail_and_the_rest_go_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(
        "قال الوزير إن المحادثات كانت بناءة وإن الجولة المقبلة ستعقد قريبا.", encoding="utf-8"
    )
    (src / "empty.txt").write_bytes(b"")
    (src / "evil.txt").write_text(
        "عنوان\n<script>alert('x')</script> قال الوزير إن <b>الوضع</b> مستقر.", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["analyze", str(src), "-o", str(out), "-q"]) == 1
    data = json.loads((out / "analysis.json").read_text("utf-8"))
    assert sorted(d["id"] for d in data["documents"]) == ["evil", "good"]
    assert [e["code"] for e in data["errors"]] == ["E005"]
    html = (out / "report.html").read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_usage_errors_exit_2(tmp_path):
    assert main([]) == 2
    assert (
        main(["analyze", str(EXAMPLES), "-o", str(tmp_path), "--disable", "no-such-stage", "-q"])
        == 2
    )
    r = subprocess.run([sys.executable, "-m", "marsad", "analyze"], capture_output=True, text=True)
    assert r.returncode == 2 and "usage" in r.stderr


def test_disable_stage(tmp_path):
    assert main(["analyze", str(EXAMPLES), "-o", str(tmp_path), "-q", "--disable", "metadata"]) == 0
    data = json.loads((tmp_path / "analysis.json").read_text("utf-8"))
    assert all("metadata" not in d["stages"] for d in data["documents"])


def test_disabling_a_required_stage_is_a_usage_error(tmp_path):
    assert main(["analyze", str(EXAMPLES), "-o", str(tmp_path), "-q", "--disable", "blocks"]) == 2


def test_python_api_matches_cli(tmp_path, sample_analysis):
    main(["analyze", str(EXAMPLES), "-o", str(tmp_path), "-q"])
    data = json.loads((tmp_path / "analysis.json").read_text("utf-8"))
    api = sample_analysis.to_json()
    assert [d["id"] for d in data["documents"]] == [d["id"] for d in api["documents"]]
    assert data["documents"] == api["documents"]
