"""The SOQL planpack sends: one query per object per batch of accounts, never per account.

Every value goes through simple-salesforce's format_soql, and every Id is
checked for shape first, so nothing from a plan or a response can change a
query's meaning. IN lists are cut to a character budget that keeps the
request URL well under Salesforce's limit (about 16 KB, URL-encoded).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date

IN_LIST_BUDGET = 8000  # characters of quoted Ids per query; ~11 KB once URL-encoded
AGGREGATE_ROWS = 1900  # GROUP BY results cannot page: stay under Salesforce's 2,000
_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")

ACCOUNT_FIELDS = ("Id, Name, ParentId, OwnerId, Industry, Type, Website, BillingCountry, "
                  "AnnualRevenue, NumberOfEmployees, LastActivityDate, SystemModstamp")
CONTACT_FIELDS = ("Id, AccountId, Name, FirstName, LastName, Title, Department, Email, "
                  "OwnerId, LastActivityDate, SystemModstamp")
ROLE_FIELDS = ("Id, ContactId, Contact.Name, Contact.Title, Contact.Email, Contact.AccountId, "
               "Role, IsPrimary")
OPPORTUNITY_FIELDS = ("Id, AccountId, Name, Amount, StageName, CloseDate, Probability, "
                      "IsClosed, IsWon, OwnerId, LastActivityDate, SystemModstamp, "
                      f"(SELECT {ROLE_FIELDS} FROM OpportunityContactRoles)")
USER_FIELDS = "Id, Name, Email, Title, IsActive"


def checked_ids(ids: Sequence[str]) -> list[str]:
    """The Ids, each verified to be shaped like a Salesforce Id, sorted and unique."""
    for value in ids:
        if not _ID.fullmatch(value):
            raise ValueError(f"not a Salesforce Id: {value!r}")
    return sorted(set(ids))


def _pack(items: Iterable[str], cost: Callable[[str], int], limit: int) -> Iterator[list[str]]:
    """Items in order, in consecutive groups whose total cost stays within `limit`."""
    group: list[str] = []
    used = 0
    for item in items:
        if group and used + cost(item) > limit:
            yield group
            group, used = [], 0
        group.append(item)
        used += cost(item)
    if group:
        yield group


def batches(ids: Sequence[str], budget: int | None = None) -> Iterator[list[str]]:
    """Ids in batches whose quoted IN list ('Id',) stays within `budget` characters."""
    return _pack(checked_ids(ids), lambda value: len(value) + 3, budget or IN_LIST_BUDGET)


def by_rows(ids: Sequence[str], rows: dict[str, int], limit: int | None = None
            ) -> Iterator[list[str]]:
    """Ids in batches whose expected aggregate rows (`rows[id]`, plus one) stay under `limit`."""
    for batch in batches(ids):
        yield from _pack(batch, lambda value: rows.get(value, 0) + 1, limit or AGGREGATE_ROWS)


def _soql(template: str, ids: list[str], **values: object) -> str:
    """`template` with its values quoted by simple-salesforce; the Ids checked first."""
    from simple_salesforce.format import format_soql

    return format_soql(template, ids=checked_ids(ids), **values)


def accounts(ids: list[str]) -> str:
    return _soql(f"SELECT {ACCOUNT_FIELDS} FROM Account WHERE Id IN {{ids}}", ids=ids)


def child_accounts(ids: list[str]) -> str:
    return _soql(f"SELECT {ACCOUNT_FIELDS} FROM Account WHERE ParentId IN {{ids}}", ids=ids)


def contacts(ids: list[str]) -> str:
    return _soql(f"SELECT {CONTACT_FIELDS} FROM Contact WHERE AccountId IN {{ids}}", ids=ids)


def opportunities(ids: list[str]) -> str:
    return _soql(f"SELECT {OPPORTUNITY_FIELDS} FROM Opportunity WHERE AccountId IN {{ids}}",
                 ids=ids)


def activity(kind: str, ids: list[str], since: date, until: date) -> str:
    """Tasks or Events in the window, summarised per account and person: one row each."""
    if kind not in ("Task", "Event"):
        raise ValueError(kind)
    return _soql(
        "SELECT AccountId, WhoId, MAX(ActivityDate) lastDate, COUNT(Id) total "
        f"FROM {kind} WHERE AccountId IN {{ids}} AND ActivityDate >= {{since}} "
        "AND ActivityDate <= {until} GROUP BY AccountId, WhoId",
        ids=ids, since=since, until=until,
    )


def users(ids: list[str]) -> str:
    return _soql(f"SELECT {USER_FIELDS} FROM User WHERE Id IN {{ids}}", ids=ids)
