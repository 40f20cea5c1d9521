"""Layered settings: the package defaults in ``settings.toml``, then a user's file on top.

>>> s = load_settings()
>>> s["blocks"]["short_line_words"]
12
"""

from __future__ import annotations

import copy
import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.core.errors import UsageError

Settings = dict[str, dict[str, Any]]


@lru_cache(maxsize=1)
def _defaults() -> Settings:
    return tomllib.loads(
        resources.files("marsad.core").joinpath("settings.toml").read_text("utf-8")
    )


def load_settings(
    path: str | os.PathLike[str] | None = None, **overrides: dict[str, Any]
) -> Settings:
    """Defaults, then ``path`` (or ``$MARSAD_CONFIG``), then ``overrides`` by section.

    Unknown sections or keys are an error (a typo should not be silently ignored).
    """
    settings = copy.deepcopy(_defaults())
    path = path or os.environ.get("MARSAD_CONFIG") or None
    layers: list[dict[str, Any]] = []
    if path:
        try:
            layers.append(tomllib.loads(Path(path).read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise UsageError("E013", detail=f"{path}: {e}") from e
    layers.append(overrides)
    for layer in layers:
        for section, values in layer.items():
            if section not in settings or not isinstance(values, dict):
                raise UsageError("E013", detail=f"unknown section [{section}]")
            for key, value in values.items():
                if key not in settings[section]:
                    raise UsageError("E013", detail=f"unknown key '{key}' in [{section}]")
                settings[section][key] = value
    return settings
