"""Writing report files so that a reader never sees half of one."""

from __future__ import annotations

from pathlib import Path


def write_atomically(path: Path, content: bytes | str) -> None:
    """Write content under a temporary name beside path, then rename it into place."""
    partial = path.with_name(f".{path.name}.partial")
    if isinstance(content, str):
        partial.write_text(content, encoding="utf-8")
    else:
        partial.write_bytes(content)
    partial.replace(path)
