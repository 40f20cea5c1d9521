"""Figures of the fuzz runs, by test (shown by conftest.pytest_terminal_summary)."""

COUNTS: dict[str, dict[str, int | float]] = {}
