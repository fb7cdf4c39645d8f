"""What an output depends on, as one hash: if none of it changed, the output is current.

A packet depends on the plan's bytes, its account's snapshot, planpack.yaml, every
template file, planpack's version, the --as-of date, the kind and the format, and
the plan's git history (its last commit decides "what changed" and the sources
page). Hashing these is cheap: files are read once per build, templates once for
all plans, and git is asked once for all plans.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planpack import __version__


def file_digest(path: Path | None) -> str:
    """sha256 of a file's bytes; "-" for no file."""
    if path is None or not path.is_file():
        return "-"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(folders: Iterable[Path]) -> str:
    """One hash of every file under the folders (names and bytes), in a stable order."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class Shared:
    """What every output of one build depends on alike."""

    config: str  # planpack.yaml's bytes (or "-": the defaults)
    templates: str
    as_of: date
    version: str = __version__

    def digest(self, *parts: str) -> hashlib._Hash:
        """A sha256 begun with these shared inputs, then `parts`; each part ends in NUL."""
        digest = hashlib.sha256()
        for part in (self.version, self.config, self.templates, self.as_of.isoformat(), *parts):
            digest.update(part.encode() + b"\0")
        return digest


def output_key(shared: Shared, plan: str, snapshot: str, commit: str, kind: str,
               fmt: str) -> str:
    """The hash an output is current for; `plan` and `snapshot` are their files' sha256."""
    return shared.digest(kind, fmt, snapshot, commit, plan).hexdigest()
