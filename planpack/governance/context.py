from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from planpack.models.plan import Plan
from planpack.models.program import Program, TierRules


@dataclass(frozen=True)
class CheckContext:
    """What every rule may consult besides the plan: the programme and "today".

    `now` is the moment snapshot ages are measured at: the real time when
    judging as of today, else the end of the `as_of` day, so an `--as-of` run
    gives the same verdict whenever it is repeated.
    """

    program: Program
    as_of: date
    now: datetime | None = None

    @property
    def reference_time(self) -> datetime:
        if self.now is not None:
            return self.now
        return datetime.combine(self.as_of, time(23, 59, 59), tzinfo=UTC)

    def tier(self, plan: Plan) -> TierRules:
        return self.program.tier(plan.account.tier)
