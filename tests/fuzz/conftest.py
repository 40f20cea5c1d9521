"""The fuzz tests' figures (inputs tried, outcomes, slowest input) in the terminal summary."""

from __future__ import annotations

from .counts import COUNTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not COUNTS:
        return
    terminalreporter.section("marsad fuzz")
    for name, figures in COUNTS.items():
        line = ", ".join(
            f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()
        )
        terminalreporter.write_line(f"{name}: {line}")
