"""The plan format, version 1: the executable form of the plan-format spec.

Field docstrings become the descriptions editors show from plan.schema.json.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from planpack.models.types import (
    AccountId,
    ContactId,
    Email,
    IsoDate,
    Number,
    NumberOrText,
    OpportunityId,
    Section,
    Tier,
    Url,
    WholeNumber,
)

MemberRole = Literal[
    "account_executive",
    "sales_engineer",
    "customer_success",
    "manager",
    "marketing",
    "bdr",
    "executive_sponsor",
    "other",
]
SectionName = Literal[
    "account",
    "team",
    "cadence",
    "summary",
    "objectives",
    "stakeholders",
    "relationship_map",
    "whitespace",
    "opportunities",
    "risks",
    "actions",
    "intelligence",
    "reviews",
    "technical_landscape",
    "adoption",
]
StakeholderRole = Literal[
    "economic_buyer",
    "decision_maker",
    "champion",
    "coach",
    "influencer",
    "technical_evaluator",
    "user",
    "blocker",
    "unknown",
]
Level = Literal["high", "medium", "low"]
Sentiment = Literal["advocate", "supporter", "neutral", "skeptic", "detractor", "unknown"]
Coverage = Literal["none", "brief", "multiple", "in_depth"]
CellStatus = Literal[
    "owned", "pipeline", "target", "competitor", "internal", "not_a_fit", "unknown"
]
ActionStatus = Literal["open", "in_progress", "blocked", "done", "dropped"]
IntelligenceKind = Literal["financial", "org_change", "news", "competitive", "intent"]
ReviewKind = Literal["qbr", "checkin"]



class Account(Section):
    name: str
    """The customer's name, as the packet shows it."""
    salesforce_id: AccountId | None = None
    """The Salesforce Account Id (prefix 001), 15 or 18 characters."""
    tier: Tier
    """The account's tier, 1, 2 or 3, which sets its review cadence and completeness standard."""
    industry: str | None = None
    """The customer's industry, for roll-ups."""
    region: str | None = None
    """The sales region, for roll-ups."""
    revenue_potential: WholeNumber | None = Field(default=None, ge=1, le=5)
    """1-5, an input to tier suggestions."""
    strategic_fit: WholeNumber | None = Field(default=None, ge=1, le=5)
    """1-5, an input to tier suggestions."""


class Member(Section):
    email: Email
    """The team member's e-mail address."""
    role: MemberRole = "other"
    """What the member does on the account team."""
    owns: list[SectionName] = []
    """Plan sections this member keeps current."""


class Team(Section):
    owner: Email
    """The single accountable owner of the plan."""
    manager: Email | None = None
    """Owns the review cadence; required for tiers 1 and 2."""
    members: list[Member] = []
    """The account team."""


class Cadence(Section):
    last_review: IsoDate | None = None
    """The last deep quarterly refresh (QBR)."""
    last_checkin: IsoDate | None = None
    """The last light monthly check-in."""
    next_review: IsoDate | None = None
    """The next review, as scheduled on the manager's calendar."""


class Objective(Section):
    title: str
    """What the account team wants to achieve."""
    metric: str | None = None
    """What is measured, for example ARR."""
    target: NumberOrText | None = None
    """The value to reach, a number or a short text."""
    due: IsoDate | None = None
    """When the objective should be met."""
    status: str | None = None
    """Free text, for example on_track or at_risk."""


class Stakeholder(Section):
    name: str
    """The person's name, unique in the plan: reports_to, influences and actions use it."""
    title: str | None = None
    """Job title."""
    department: str | None = None
    """Department; large relationship maps are grouped by it."""
    salesforce_id: ContactId | None = None
    """The Salesforce Contact Id (prefix 003)."""
    email: Email | None = None
    """Lets enrichment match a Salesforce contact without an Id."""
    role: StakeholderRole = "unknown"
    """The person's part in the buying decision."""
    influence: Level = "medium"
    """high, medium or low: their weight in the decision."""
    sentiment: Sentiment = "unknown"
    """Where we stand with this person."""
    coverage: Coverage = "none"
    """How well we know them."""
    relationship_owner: Email | None = None
    """The team member who owns this relationship."""
    last_contact: IsoDate | None = None
    """The last meeting or call with them."""
    reports_to: str | None = None
    """The name of another stakeholder in this plan."""
    influences: list[str] = []
    """Names of stakeholders this person influences informally."""


class Cell(Section):
    product: str
    """One of whitespace.products."""
    unit: str
    """One of whitespace.units."""
    status: CellStatus = "unknown"
    """owned, pipeline, target, competitor, internal (done in-house), not_a_fit or unknown."""
    estimate: Number | None = Field(default=None, ge=0)
    """The potential, in the programme's currency."""
    opportunity: OpportunityId | None = None
    """The Salesforce Opportunity Id pursuing this cell."""
    note: str | None = None
    """A footnote shown under the matrix."""


class Whitespace(Section):
    products: list[str] = []
    """The rows of the matrix."""
    units: list[str] = []
    """The columns of the matrix: business units, regions or sites."""
    cells: list[Cell] = []
    """One per product and unit; a missing combination counts as unknown."""


class Opportunity(Section):
    salesforce_id: OpportunityId | None = None
    """Links a Salesforce Opportunity (prefix 006); its name, amount, stage and close date
    come from Salesforce."""
    name: str | None = None
    """Required for a planned opportunity not yet in Salesforce."""
    amount: Number | None = Field(default=None, ge=0)
    """For a planned opportunity, in the programme's currency."""
    close_date: IsoDate | None = None
    """For a planned opportunity: the expected close date."""
    stage: str | None = None
    """For a planned opportunity, for example planned."""
    probability: WholeNumber | None = Field(default=None, ge=0, le=100)
    """Percent, 0-100."""
    product: str | None = None
    """One of whitespace.products."""
    unit: str | None = None
    """One of whitespace.units."""

    @model_validator(mode="after")
    def _named_or_linked(self) -> Opportunity:
        if self.salesforce_id is None and self.name is None:
            raise PydanticCustomError(
                "opportunity_identity",
                "an opportunity needs a salesforce_id (linked) or a name (planned)",
            )
        return self

    @property
    def label(self) -> str:
        return self.name or self.salesforce_id or ""


class Risk(Section):
    title: str
    """What could go wrong."""
    severity: Level = "medium"
    """high, medium or low."""
    mitigation: str | None = None
    """What the team does about it."""
    owner: Email | None = None
    """The team member who owns the mitigation."""


class Action(Section):
    id: str | None = None
    """A stable key, unique in the plan."""
    title: str
    """What will be done."""
    owner: Email | None = None
    """The team member who will do it."""
    due: IsoDate | None = None
    """When it is due; a forward action is due today or later."""
    status: ActionStatus = "open"
    """open, in_progress, blocked, done or dropped."""
    outcome: str | None = None
    """What done looks like."""
    stakeholder: str | None = None
    """The name of a stakeholder in this plan."""
    opportunity: str | None = None
    """The Salesforce Id or name of an opportunity in this plan."""
    done_on: IsoDate | None = None
    """When it was done."""


class Intelligence(Section):
    source: str | None = None
    """zoominfo, linkedin, 6sense, news, financials, manual, ..."""
    kind: IntelligenceKind | None = None
    """financial, org_change, news, competitive or intent."""
    as_of: IsoDate
    """When the information was true."""
    summary: str
    """What was learned, in a sentence or two."""
    url: Url | None = None
    """Where it was learned (http or https)."""


class Review(Section):
    date: IsoDate
    """When the review took place."""
    kind: ReviewKind
    """qbr (the deep quarterly review) or checkin (the light monthly one)."""
    attendees: list[Email] = []
    """E-mail addresses of those present."""
    commitments: list[str] = []
    """What was promised, one line each."""
    notes: str | None = None
    """Anything else worth keeping."""


class Plan(Section):
    """An account plan, one YAML file per key account."""

    schema_version: Literal[1]
    """The plan format version: 1."""
    account: Account
    """The customer account."""
    team: Team
    """Who owns the plan and works the account."""
    cadence: Cadence = Cadence()
    """The review rhythm: last review, last check-in, next review."""
    summary: str | None = None
    """Plain text; paragraphs split on blank lines; never interpreted as HTML."""
    objectives: list[Objective] = []
    """Measurable goals for the account."""
    stakeholders: list[Stakeholder] = []
    """The relationship map."""
    whitespace: Whitespace | None = None
    """Products by business units: what the customer owns, where we can grow."""
    opportunities: list[Opportunity] = []
    """The roadmap."""
    risks: list[Risk] = []
    """What could stop the plan, and the mitigations."""
    actions: list[Action] = []
    """Who does what by when."""
    intelligence: list[Intelligence] = []
    """The external layer, each item dated."""
    reviews: list[Review] = []
    """The accountability loop."""
