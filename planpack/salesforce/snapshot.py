"""Snapshots: what a pull fetched for one account, stored as JSON and read back typed.

One file per account, `<snapshot_dir>/<18-character Account Id>.json`, with the
time fetched and the API version, records sorted by Id and keys sorted, so two
pulls of the same data differ only in `fetched_at`, and a review of a changed
snapshot reads as a diff. Files are written atomically: a reader, or a failed
pull, never sees half a file. Snapshots hold record data only, never
credentials or session ids.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planpack.salesforce_id import to18

FORMAT = "planpack-snapshot/1"


class _Record(BaseModel):
    """A Salesforce record as stored: Salesforce's field names, unknown fields ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class SfUser(_Record):
    id: str = Field(alias="Id")
    name: str | None = Field(default=None, alias="Name")
    email: str | None = Field(default=None, alias="Email")
    title: str | None = Field(default=None, alias="Title")
    is_active: bool | None = Field(default=None, alias="IsActive")


class SfAccount(_Record):
    id: str = Field(alias="Id")
    name: str | None = Field(default=None, alias="Name")
    parent_id: str | None = Field(default=None, alias="ParentId")
    owner_id: str | None = Field(default=None, alias="OwnerId")
    industry: str | None = Field(default=None, alias="Industry")
    type: str | None = Field(default=None, alias="Type")
    last_activity_date: date | None = Field(default=None, alias="LastActivityDate")


class SfContact(_Record):
    id: str = Field(alias="Id")
    account_id: str | None = Field(default=None, alias="AccountId")
    name: str | None = Field(default=None, alias="Name")
    title: str | None = Field(default=None, alias="Title")
    department: str | None = Field(default=None, alias="Department")
    email: str | None = Field(default=None, alias="Email")
    owner_id: str | None = Field(default=None, alias="OwnerId")
    last_activity_date: date | None = Field(default=None, alias="LastActivityDate")


class SfContactRef(_Record):
    """The contact behind a contact role; it may belong to another account."""

    name: str | None = Field(default=None, alias="Name")
    title: str | None = Field(default=None, alias="Title")
    email: str | None = Field(default=None, alias="Email")
    account_id: str | None = Field(default=None, alias="AccountId")


class SfContactRole(_Record):
    id: str = Field(alias="Id")
    contact_id: str | None = Field(default=None, alias="ContactId")
    role: str | None = Field(default=None, alias="Role")
    is_primary: bool = Field(default=False, alias="IsPrimary")
    contact: SfContactRef | None = Field(default=None, alias="Contact")


class SfOpportunity(_Record):
    id: str = Field(alias="Id")
    account_id: str | None = Field(default=None, alias="AccountId")
    name: str | None = Field(default=None, alias="Name")
    amount: float | None = Field(default=None, alias="Amount")
    stage: str | None = Field(default=None, alias="StageName")
    close_date: date | None = Field(default=None, alias="CloseDate")
    probability: float | None = Field(default=None, alias="Probability")
    is_closed: bool = Field(default=False, alias="IsClosed")
    is_won: bool = Field(default=False, alias="IsWon")
    owner_id: str | None = Field(default=None, alias="OwnerId")
    contact_roles: list[SfContactRole] = Field(default=[], alias="OpportunityContactRoles")

    @property
    def is_open(self) -> bool:
        return not self.is_closed

    @property
    def is_lost(self) -> bool:
        return self.is_closed and not self.is_won


class SfActivity(_Record):
    """Tasks and events in the activity window, summarised per person (WhoId)."""

    who_id: str | None = Field(default=None, alias="WhoId")
    tasks: int = 0
    events: int = 0
    last: date | None = None


class Snapshot(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    format: str
    account_id: str
    fetched_at: datetime
    api_version: str
    activity_from: date
    activity_to: date
    account: SfAccount
    parents: list[SfAccount] = []  # the nearest first
    children: list[SfAccount] = []
    contacts: list[SfContact] = []
    opportunities: list[SfOpportunity] = []
    activity: list[SfActivity] = []
    users: list[SfUser] = []


def path_for(folder: Path, account_id: str) -> Path:
    return folder / f"{to18(account_id)}.json"


class SnapshotUnreadable(Exception):
    """A snapshot file that exists but is not a snapshot this planpack reads."""


def read_snapshot(folder: Path, account_id: str) -> Snapshot | None:
    """The account's snapshot, None if there is none; SnapshotUnreadable if it is damaged."""
    path = path_for(folder, account_id)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SnapshotUnreadable(f"{path} cannot be read: {exc.strerror}") from None
    try:
        snapshot = Snapshot.model_validate_json(raw)
    except ValidationError as exc:
        raise SnapshotUnreadable(f"{path} is not a planpack snapshot ({exc.error_count()} "
                                 "problems)") from None
    if snapshot.format != FORMAT:
        raise SnapshotUnreadable(f"{path} is in format {snapshot.format!r}; this planpack "
                                 f"reads {FORMAT!r}")
    return snapshot


def snapshot_json(document: dict[str, Any]) -> str:
    """The stable text of a snapshot: sorted keys, records already sorted by Id."""
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
