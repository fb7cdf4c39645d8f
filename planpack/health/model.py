"""The health score's result types."""

from __future__ import annotations

from dataclasses import dataclass

GRADE_LABELS = {"green": "On track", "amber": "Needs attention", "red": "At risk"}


@dataclass(frozen=True, slots=True)
class Loss:
    """Points a component loses, on the component's own 0-100 scale."""

    rule: str
    points: float
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points the plan's overall score loses; the deductions add up to 100 - score."""

    component: str
    rule: str
    points: float
    message: str
    fix: str

    def as_dict(self) -> dict[str, object]:
        return {
            "points": self.points,
            "rule": self.rule,
            "component": self.component,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class ComponentScore:
    name: str
    score: float  # 0-100
    weight: float


@dataclass(frozen=True, slots=True)
class Health:
    score: int
    grade: str
    components: tuple[ComponentScore, ...]
    deductions: tuple[Deduction, ...]

    @property
    def label(self) -> str:
        return GRADE_LABELS[self.grade]
