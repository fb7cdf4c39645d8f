"""`planpack.yaml`: the rules every plan of the programme is held to."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from planpack.models.plan import StakeholderRole
from planpack.models.types import Flag, Number, Section, Tier, WholeNumber


class Requirements(Section):
    buying_committee: list[StakeholderRole] = []
    """Roles that must each be filled by a stakeholder."""
    whitespace_filled: Flag = False
    """Every product and unit combination has a known status."""
    min_forward_actions: WholeNumber = Field(default=0, ge=0)
    """Open or in-progress actions with an owner and a due date not in the past."""
    manager: Flag = False
    """team.manager must be set."""


class TierRules(Section):
    review_every_days: WholeNumber | None = Field(default=None, ge=1)
    """The deep review (QBR) cadence."""
    checkin_every_days: WholeNumber | None = Field(default=None, ge=1)
    """The light check-in cadence."""
    max_plans_per_owner: WholeNumber | None = Field(default=None, ge=1)
    """More plans of this tier per owner is a warning."""
    plan_required: Flag = True
    """Whether accounts of this tier need a plan at all."""
    require: Requirements = Requirements()
    """The completeness standard a plan of this tier must meet."""

    @property
    def touch_every_days(self) -> int | None:
        """The shortest cadence: how often a plan of this tier should change."""
        cadences = [d for d in (self.review_every_days, self.checkin_every_days) if d]
        return min(cadences) if cadences else None


class Weights(Section):
    completeness: Number = Field(default=35, ge=0)
    """Meets the tier's completeness standard."""
    freshness: Number = Field(default=25, ge=0)
    """Reviewed, checked in on and researched on time."""
    actions: Number = Field(default=20, ge=0)
    """Open actions on time, owned and dated."""
    relationships: Number = Field(default=20, ge=0)
    """Coverage and sentiment of the relationship map."""

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if self.total <= 0:
            raise PydanticCustomError("weights_total", "the health weights add up to 0")
        return self

    @property
    def total(self) -> float:
        return self.completeness + self.freshness + self.actions + self.relationships


class Thresholds(Section):
    green: WholeNumber = Field(default=80, ge=0, le=100)
    """Scores at or above this are green, "On track"."""
    amber: WholeNumber = Field(default=60, ge=0, le=100)
    """Scores at or above this (and below green) are amber, "Needs attention"."""


class Health(Section):
    weights: Weights = Weights()
    """Relative weights of the four components; they need not add up to 100."""
    stale_intelligence_days: WholeNumber = Field(default=30, ge=1)
    """Intelligence older than this is stale."""
    thresholds: Thresholds = Thresholds()
    """Where the grades start."""


class SalesforceSettings(Section):
    api_version: str = Field(default="62.0", pattern=r"^\d{2,3}\.0$")
    """The Salesforce REST API version, for example "62.0"."""
    snapshot_dir: str = ".planpack/snapshots"
    """Where pulled Salesforce data is stored, one JSON file per account."""
    max_snapshot_age_hours: Number = Field(default=24, gt=0)
    """An older snapshot is reported as stale."""


class DeckLayouts(Section):
    """The slide layouts the deck uses, by their names in deck.pptx."""

    title: str = "Title Slide"
    """The first slide: the account and the review."""
    title_only: str = "Title Only"
    """Slides with a chart, a table or the relationship map under a title."""
    content: str = "Title and Content"
    """Slides of text: findings, what changed, next steps."""


class DeckSettings(Section):
    layouts: DeckLayouts = DeckLayouts()
    """Layout names in the team's deck.pptx, if they differ from PowerPoint's defaults."""


class Program(Section):
    program: str = "FY27 Strategic Accounts"
    """The programme's name, shown on packets."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    """ISO 4217 code for amounts in plans and packets."""
    fiscal_year_start: WholeNumber = Field(default=1, ge=1, le=12)
    """The month the fiscal year starts; roadmap quarters follow it."""
    plans_dir: str = "plans"
    """Where the plan files are, relative to planpack.yaml."""
    output_dir: str = "output"
    """Where packets are written."""
    templates_dir: str = "templates"
    """Templates that override the built-in ones."""
    tiers: dict[Tier, TierRules] = {}
    """Rules per tier (1, 2, 3), merged over the defaults."""
    health: Health = Health()
    """How the health score is computed."""
    salesforce: SalesforceSettings = SalesforceSettings()
    """The Salesforce connection and snapshots."""
    deck: DeckSettings = DeckSettings()
    """The PowerPoint deck: which slide layouts of deck.pptx to use."""

    def tier(self, tier: int) -> TierRules:
        return self.tiers.get(tier) or TierRules()  # type: ignore[call-overload]


# The programme a repository gets without a planpack.yaml, and the base that a
# planpack.yaml is merged over: a file that sets tiers.1.review_every_days keeps
# tier 1's other rules.
DEFAULTS: dict[str, Any] = {
    "tiers": {
        1: {
            "review_every_days": 92,
            "checkin_every_days": 31,
            "max_plans_per_owner": 20,
            "require": {
                "buying_committee": ["economic_buyer", "decision_maker", "champion"],
                "whitespace_filled": True,
                "min_forward_actions": 3,
                "manager": True,
            },
        },
        2: {
            "review_every_days": 31,
            "max_plans_per_owner": 40,
            "require": {
                "buying_committee": ["champion"],
                "min_forward_actions": 1,
                "manager": True,
            },
        },
        3: {"plan_required": False},
    },
}


def merge_over_defaults(user: dict[Any, Any]) -> dict[Any, Any]:
    """Deep-merge a planpack.yaml mapping over DEFAULTS (lists and scalars replace)."""
    return _merge(DEFAULTS, user)


def _merge(base: dict[Any, Any], over: dict[Any, Any]) -> dict[Any, Any]:
    out = dict(base)
    for key, value in over.items():
        # `"1":` and `1:` name the same tier.
        if isinstance(key, str) and key.isdigit() and int(key) in base:
            key = int(key)
        if value is None and isinstance(out.get(key), dict):
            # A blank section (`tiers:`, `require:`) is as if left out: keep the defaults.
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def default_program() -> Program:
    return Program.model_validate(merge_over_defaults({}))
