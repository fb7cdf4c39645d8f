"""The enriched view: a plan joined with its Salesforce snapshot.

`Enriched.plan` is the plan as planpack judges and renders it: linked
opportunities carry Salesforce's name, amount, stage, close date and
probability; stakeholders matched to a contact (by Id, else by e-mail) carry
the latest of the plan's `last_contact` and the contact's activity, and fill
a missing title, department or e-mail from Salesforce. `Enriched.written` is
the plan as the file says it. Without a snapshot the two are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planpack.models.plan import Opportunity, Plan, Stakeholder
from planpack.salesforce.snapshot import (
    SfAccount,
    SfActivity,
    SfContact,
    SfOpportunity,
    SfUser,
    Snapshot,
)
from planpack.salesforce_id import to18

# What a linked opportunity takes from Salesforce, plan field -> snapshot field.
FROM_SALESFORCE = {
    "name": "name",
    "amount": "amount",
    "stage": "stage",
    "close_date": "close_date",
    "probability": "probability",
}


@dataclass(frozen=True)
class RoleHolder:
    """A contact with a role on at least one open opportunity of the account."""

    contact_id: str
    label: str  # "Dana Smith (CFO)"
    roles: tuple[tuple[str, str], ...]  # (role, opportunity name)
    mapped: bool  # in the relationship map, by Id or e-mail


@dataclass(frozen=True)
class Enriched:
    plan: Plan
    written: Plan
    snapshot: Snapshot | None = None
    # Per plan opportunity and per stakeholder, in file order: the Salesforce record.
    opportunities: tuple[SfOpportunity | None, ...] = ()
    contacts: tuple[SfContact | None, ...] = ()
    activity: tuple[SfActivity | None, ...] = ()
    users: dict[str, SfUser] = field(default_factory=dict)

    @property
    def has_salesforce(self) -> bool:
        return self.snapshot is not None

    @property
    def parents(self) -> list[SfAccount]:
        """The account hierarchy above this account, nearest first."""
        return list(self.snapshot.parents) if self.snapshot else []

    @property
    def children(self) -> list[SfAccount]:
        return list(self.snapshot.children) if self.snapshot else []

    def open_opportunities(self) -> list[SfOpportunity]:
        """Every open opportunity on the account in Salesforce, linked in the plan or not."""
        return [o for o in self.snapshot.opportunities if o.is_open] if self.snapshot else []

    def role_holders(self) -> list[RoleHolder]:
        """Contacts with roles on the account's open opportunities, sorted by name."""
        ids = {c.id for c in self.contacts if c}
        ids |= {to18(s.salesforce_id) for s in self.written.stakeholders if s.salesforce_id}
        emails = {s.email.lower() for s in self.written.stakeholders if s.email}
        roles: dict[str, list[tuple[str, str]]] = {}
        labels: dict[str, str] = {}
        mapped: dict[str, bool] = {}
        for opp in self.open_opportunities():
            for role in opp.contact_roles:
                if role.contact_id is None:
                    continue
                contact = role.contact
                roles.setdefault(role.contact_id, []).append(
                    (role.role or "a role", opp.name or opp.id))
                name = contact.name if contact and contact.name else role.contact_id
                title = f" ({contact.title})" if contact and contact.title else ""
                labels[role.contact_id] = name + title
                email = contact.email.lower() if contact and contact.email else None
                mapped[role.contact_id] = role.contact_id in ids or email in emails
        return sorted(
            (RoleHolder(c, labels[c], tuple(roles[c]), mapped[c]) for c in roles),
            key=lambda holder: (holder.label, holder.contact_id),
        )


def enrich(plan: Plan, snapshot: Snapshot | None) -> Enriched:
    if snapshot is None:
        return Enriched(plan, plan)
    opportunities = {o.id: o for o in snapshot.opportunities}
    contacts_by_id = {c.id: c for c in snapshot.contacts}
    contacts_by_email = {c.email.lower(): c for c in snapshot.contacts if c.email}
    activity = {a.who_id: a for a in snapshot.activity if a.who_id}

    linked = tuple(
        opportunities.get(to18(o.salesforce_id)) if o.salesforce_id else None
        for o in plan.opportunities
    )
    matched = tuple(_match(s, contacts_by_id, contacts_by_email) for s in plan.stakeholders)
    acts = tuple(activity.get(c.id) if c else None for c in matched)
    effective = plan.model_copy(update={
        "opportunities": [_opportunity(o, sf) for o, sf in zip(plan.opportunities, linked,
                                                                strict=True)],
        "stakeholders": [_stakeholder(s, c, a) for s, c, a in zip(plan.stakeholders, matched,
                                                                   acts, strict=True)],
    })
    return Enriched(effective, plan, snapshot, linked, matched, acts,
                    {u.id: u for u in snapshot.users})


def _match(person: Stakeholder, by_id: dict[str, SfContact], by_email: dict[str, SfContact]
           ) -> SfContact | None:
    if person.salesforce_id:
        return by_id.get(to18(person.salesforce_id))
    if person.email:
        return by_email.get(person.email.lower())
    return None


def _opportunity(opp: Opportunity, sf: SfOpportunity | None) -> Opportunity:
    if sf is None:
        return opp
    update: dict[str, object] = {
        mine: getattr(sf, theirs) for mine, theirs in FROM_SALESFORCE.items()
    }
    if sf.probability is not None:
        update["probability"] = round(sf.probability)
    return opp.model_copy(update=update)


def last_activity(contact: SfContact | None, activity: SfActivity | None) -> date | None:
    dates = [d for d in (contact.last_activity_date if contact else None,
                         activity.last if activity else None) if d]
    return max(dates) if dates else None


def _stakeholder(person: Stakeholder, contact: SfContact | None,
                 activity: SfActivity | None) -> Stakeholder:
    if contact is None:
        return person
    update: dict[str, object] = {}
    for mine in ("title", "department", "email"):
        if getattr(person, mine) is None and getattr(contact, mine):
            update[mine] = getattr(contact, mine).lower() if mine == "email" else getattr(
                contact, mine)
    logged = last_activity(contact, activity)
    if logged and (person.last_contact is None or logged > person.last_contact):
        update["last_contact"] = logged
    return person.model_copy(update=update) if update else person
