"""Rule examples as whole specs: a fragment laid over the example frame."""

from __future__ import annotations

from importlib import resources

import yaml


def frame_text() -> str:
    return resources.files("plaint.policies").joinpath("example-frame.yaml").read_text("utf-8")


def example_spec(fragment: str) -> str:
    """The frame with each top-level key of ``fragment`` replacing the frame's own."""
    frame = yaml.safe_load(frame_text())
    part = yaml.safe_load(fragment) or {}
    frame.update(part)
    return yaml.safe_dump(frame, sort_keys=False, allow_unicode=True)
