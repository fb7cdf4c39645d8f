from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planpack.models.plan import Plan
from planpack.models.program import Program, TierRules


@dataclass(frozen=True)
class CheckContext:
    """What every rule may consult besides the plan: the programme and "today"."""

    program: Program
    as_of: date

    def tier(self, plan: Plan) -> TierRules:
        return self.program.tier(plan.account.tier)
