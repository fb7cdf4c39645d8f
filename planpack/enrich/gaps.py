"""Gap findings: where the plan and Salesforce disagree, or Salesforce knows more.

All are warnings: Salesforce is the system of record, but a gap is a prompt to
update one side, not a broken plan. `--strict` makes them fatal.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from planpack.enrich.view import FROM_SALESFORCE, Enriched, last_activity
from planpack.findings import Problem
from planpack.governance.context import CheckContext

NO_ACTIVITY_DAYS = 90
_ACCOUNT_ID = ("account", "salesforce_id")


def no_snapshot(reason: str | None = None) -> Problem:
    """The plan names an account, but there is no (readable) snapshot of it."""
    return Problem(
        "crm-no-snapshot", _ACCOUNT_ID,
        reason or "no Salesforce data: there is no snapshot of this account",
        "run `planpack pull` (with Salesforce credentials in the environment)",
    )


def check_gaps(view: Enriched, ctx: CheckContext) -> Iterator[Problem]:
    snapshot = view.snapshot
    if snapshot is None:
        return
    yield from _stale(view, ctx)
    yield from _opportunities(view)
    yield from _stakeholders(view, ctx)
    yield from _missing_contacts(view)


def _stale(view: Enriched, ctx: CheckContext) -> Iterator[Problem]:
    assert view.snapshot is not None
    fetched = view.snapshot.fetched_at
    limit = ctx.program.salesforce.max_snapshot_age_hours
    hours = (ctx.reference_time - fetched).total_seconds() / 3600
    if hours > limit:
        yield Problem(
            "crm-stale-snapshot", _ACCOUNT_ID,
            f"the Salesforce snapshot is {hours:.0f} hours old (fetched {_when(fetched)}); "
            f"the programme allows {limit:g}",
            "run `planpack pull`",
        )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _opportunities(view: Enriched) -> Iterator[Problem]:
    for index, (opp, sf) in enumerate(zip(view.written.opportunities, view.opportunities,
                                          strict=True)):
        if opp.salesforce_id is None:
            continue
        loc = ("opportunities", index, "salesforce_id")
        if sf is None:
            yield Problem(
                "crm-unknown-opportunity", loc,
                f"Salesforce has no opportunity {opp.salesforce_id} on this account",
                "check the Id, or remove the opportunity if it was deleted or merged",
            )
            continue
        typed = [name for name in FROM_SALESFORCE if getattr(opp, name) is not None]
        if typed:
            shown = ", ".join(f"{name} {_value(getattr(sf, FROM_SALESFORCE[name]))}"
                              for name in typed)
            yield Problem(
                "crm-override", ("opportunities", index, typed[0]),
                f"{', '.join(typed)} typed beside a Salesforce Id "
                f"{'is' if len(typed) == 1 else 'are'} overridden by Salesforce: {shown}",
                "delete the typed values; Salesforce's are used",
            )
        if sf.is_lost:
            yield Problem(
                "crm-closed-lost", loc,
                f"{sf.name!r} is closed lost in Salesforce (stage {sf.stage}"
                + (f", {sf.close_date}" if sf.close_date else "") + ")",
                "take it off the roadmap, or record in risks why it is still pursued",
            )


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    return repr(value) if isinstance(value, str) else str(value)


def _stakeholders(view: Enriched, ctx: CheckContext) -> Iterator[Problem]:
    cutoff = ctx.as_of - timedelta(days=NO_ACTIVITY_DAYS)
    people = zip(view.written.stakeholders, view.contacts, view.activity, strict=True)
    for index, (person, contact, activity) in enumerate(people):
        if person.salesforce_id and contact is None:
            yield Problem(
                "crm-unknown-contact", ("stakeholders", index, "salesforce_id"),
                f"Salesforce has no contact {person.salesforce_id} on this account",
                "check the Id, or remove it if the contact was deleted or merged",
            )
            continue
        if contact is None or person.influence != "high":
            continue
        logged = last_activity(contact, activity)
        if logged is None or logged < cutoff:
            since = f"the last was {logged}" if logged else "none is logged"
            noted = (f"; the plan says {person.last_contact}: log it in Salesforce"
                     if person.last_contact and person.last_contact >= cutoff else "")
            yield Problem(
                "crm-no-activity", ("stakeholders", index, "name"),
                f"no task or event with {person.name} in Salesforce in {NO_ACTIVITY_DAYS} days "
                f"({since}){noted}",
                "meet them, and log the meeting in Salesforce",
            )


def _missing_contacts(view: Enriched) -> Iterator[Problem]:
    at = ("stakeholders",) if view.written.stakeholders else ("account", "name")
    for holder in view.role_holders():
        if holder.mapped:
            continue
        count = len(holder.roles)
        what = "; ".join(f"{role} on {name!r}" for role, name in holder.roles[:3])
        yield Problem(
            "crm-missing-contact", ("stakeholders",),
            f"{holder.label} has a contact role on {count} open "
            f"opportunit{'y' if count == 1 else 'ies'} ({what}) but is not in the "
            "relationship map",
            f"add them to stakeholders with `salesforce_id: {holder.contact_id}`",
            at=at,
        )
