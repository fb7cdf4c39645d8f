"""Governance: the programme's rules applied to a loaded plan.

A validate run is loading plus this stage and nothing else. Each check yields
`Problem`s carrying a rule id from planpack.rules; severity comes from the
catalogue, so a rule is an error or a warning everywhere.
"""

from __future__ import annotations

from planpack.findings import Problem
from planpack.governance.completeness import check_completeness
from planpack.governance.context import CheckContext
from planpack.governance.hygiene import check_hygiene
from planpack.governance.references import check_references
from planpack.models.plan import Plan

__all__ = ["CheckContext", "check_plan"]


def check_plan(plan: Plan, ctx: CheckContext) -> list[Problem]:
    return [
        *check_references(plan),
        *check_completeness(plan, ctx),
        *check_hygiene(plan, ctx),
    ]
