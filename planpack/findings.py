"""Findings: what every check reports, located in a file and ready to format."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# A path into a plan, as pydantic reports it: ("actions", 2, "due").
Loc = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"  # the plan is invalid: validate exits 1
    WARNING = "warning"  # worth fixing; fatal only with --strict
    INFO = "info"  # a note for the reader, never fatal


def describe(value: object) -> str:
    """A found value as a message shows it: 'hihg', 4, true, a list, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return str(value)


def format_loc(loc: Loc) -> str:
    """`("actions", 2, "due")` -> `actions[2].due`."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    """A rule's verdict on one field, before it is given a line and column.

    `field` is what is wrong; `at` is where to point when that field does not
    exist in the file (a missing section points at what requires it).
    """

    rule: str
    field: Loc
    message: str
    fix: str | None = None
    at: Loc | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    field: str
    message: str
    fix: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "rule": self.rule,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
        }
