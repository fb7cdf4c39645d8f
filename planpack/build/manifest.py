"""output/manifest.json: what each plan's outputs were built from, and how it scored.

It is what makes a rebuild incremental: an output whose key (keys.py) is unchanged
and whose file exists is current. It is written atomically and after each plan, so
an interrupted build leaves a manifest of exactly what was completed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from planpack import __version__
from planpack.atomic import write_atomically

NAME = "manifest.json"
FORMAT = "planpack-manifest/1"


@dataclass
class Output:
    path: str  # relative to the output folder
    kind: str
    format: str
    key: str


@dataclass
class PlanRecord:
    file: str
    slug: str
    plan: str  # sha256 of the plan file
    snapshot_path: str | None  # the snapshot it was built with (it may not exist)
    snapshot: str  # sha256 of that snapshot, "-" for none
    commit: str  # the plan's newest commit, "-" outside git
    outputs: list[Output] = field(default_factory=list)
    score: int | None = None
    grade: str | None = None
    error: str | None = None  # the last build's failure, if it failed


@dataclass
class Manifest:
    planpack: str = __version__
    plans: dict[str, PlanRecord] = field(default_factory=dict)
    rollups: dict[str, Any] = field(default_factory=dict)  # key, outputs

    def to_json(self) -> str:
        data = {"format": FORMAT, "planpack": self.planpack,
                "plans": {k: asdict(v) for k, v in sorted(self.plans.items())},
                "rollups": self.rollups}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(folder: Path) -> Manifest:
    """The folder's manifest; an empty one if there is none or it is damaged (which only
    means that everything is rebuilt)."""
    try:
        data = json.loads((folder / NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return Manifest()
        plans = {}
        for key, record in data["plans"].items():
            outputs = [Output(**o) for o in record.pop("outputs", [])]
            plans[key] = PlanRecord(**record, outputs=outputs)
        return Manifest(data.get("planpack", ""), plans, data.get("rollups") or {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


def save(folder: Path, manifest: Manifest) -> None:
    write_atomically(folder / NAME, manifest.to_json())
