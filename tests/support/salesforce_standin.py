"""A stand-in Salesforce org served over real HTTPS on 127.0.0.1, for tests and benchmarks.

The unmodified ``simple_salesforce`` client talks to it exactly as it talks to Salesforce:

* ``GET /services/data/vNN.N/query?q=SOQL`` (and ``queryAll``) runs a SOQL subset against an
  in-memory :class:`Org` and answers with Salesforce's documented JSON: ``totalSize``, ``done``,
  ``records`` (each with ``attributes``) and, when there are more than ``page_size`` records,
  ``nextRecordsUrl`` (``/services/data/vNN.N/query/01gSTANDIN<n>-<offset>``), which is itself
  a GET resource returning the next page. The API version in the URL is echoed back.
* ``POST /services/Soap/u/NN.N`` (the SOAP ``login`` call simple-salesforce sends for
  username + password + security token) and ``POST /services/oauth2/token`` with the JWT
  bearer grant. Because simple-salesforce hard-codes ``https://login.salesforce.com`` for
  logins, :attr:`StandIn.proxy_url` is an HTTP CONNECT proxy that tunnels *every* CONNECT,
  whatever host it names, to the stand-in itself. Set ``HTTPS_PROXY`` to it (and
  ``NO_PROXY=""``) and the client reaches the stand-in for ``login.salesforce.com``; the
  server certificate, issued by a throw-away trustme CA (:attr:`StandIn.ca_file`, for
  ``REQUESTS_CA_BUNDLE``), is valid for 127.0.0.1, localhost, login.salesforce.com,
  test.salesforce.com and ``*.my.salesforce.com``. Nothing ever leaves the machine.

SOQL subset (tokenizer plus recursive-descent parser; anything else is answered with 400
``MALFORMED_QUERY``, as Salesforce does)::

    SELECT item, ... FROM Object [WHERE cond] [GROUP BY path, ...]
           [ORDER BY expr [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]

* items: ``Field``, relationship paths (``Owner.Name``, ``Parent.Parent.Id``; polymorphic
  ``Who``/``What`` resolve to the "Name" entity, as in Salesforce), ``COUNT()``, aggregates
  ``COUNT|COUNT_DISTINCT|SUM|AVG|MIN|MAX(path) [alias]`` (unaliased ones are named ``expr0``,
  ``expr1``, ...) and child subqueries ``(SELECT ... FROM ChildRelationship [WHERE]
  [ORDER BY] [LIMIT])``.
* conditions: ``AND``, ``OR``, ``NOT``, parentheses, ``= != <> < <= > >=``, ``[NOT] IN (...)``,
  semi-joins ``[NOT] IN (SELECT Id FROM ...)`` and ``LIKE``, against string literals (with the
  SOQL escapes ``\\' \\" \\\\ \\n \\r \\t \\b \\f \\_ \\%``), numbers, ``true``/``false``/
  ``null``, dates (``2025-12-04``), datetimes (``2026-11-02T10:00:00Z``) and the date literals
  ``TODAY``, ``YESTERDAY``, ``TOMORROW``, ``LAST_N_DAYS:n``, ``NEXT_N_DAYS:n``,
  ``N_DAYS_AGO:n``, ``LAST_90_DAYS``, ``NEXT_90_DAYS``, ``THIS_MONTH``, ``LAST_MONTH``,
  ``THIS_YEAR``, relative to the real current UTC date. ``LAST_N_DAYS:n`` covers today and the
  n days before it. Like Salesforce, mixing ``AND`` and ``OR`` at one level without
  parentheses is a MALFORMED_QUERY, string comparisons ignore case, field names are case
  insensitive, and a filter value of the wrong type (a quoted date, an unquoted string, an
  invalid Id) is 400 ``INVALID_QUERY_FILTER_OPERATOR``.
* unknown fields, relationships and objects are 400 ``INVALID_FIELD`` / ``INVALID_TYPE`` with
  Salesforce's ``ERROR at Row:r:Column:c`` messages; :meth:`Org.remove_field` simulates an
  org that lacks a field.

Aggregate queries (``GROUP BY``, or aggregates without it) answer ``AggregateResult``
records and never paginate: Salesforce does not support query locators (queryMore) for
aggregate queries, so a GROUP BY result of more than 2,000 rows is a run-time error. The
stand-in mirrors that rule with a 400 ``MALFORMED_QUERY`` whose message says the aggregate
result exceeds 2,000 rows, whatever ``page_size`` is.

Also: a request URI longer than ``max_uri`` bytes gets 414 with an HTML body, as
Salesforce's front end does; every request is recorded in :attr:`StandIn.requests`; failures
(:meth:`StandIn.fail`, :meth:`StandIn.drop`, :meth:`StandIn.stall` and helpers for the
documented error bodies) can be injected for the next matching API calls.

Run as a script it serves a generated org until SIGTERM (or until stdin closes, when stdin is
a pipe or terminal) and prints one line of JSON describing where::

    python tests/support/salesforce_standin.py --accounts 500 --contacts 10000 \\
        --opportunities 5000 --activities 50000
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import selectors
import signal
import socket
import socketserver
import ssl
import stat
import sys
import tempfile
import threading
import traceback
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeAlias, cast
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

import jwt
import trustme
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from planpack.salesforce_id import checksum

__all__ = [
    "AGGREGATE_ROW_LIMIT",
    "DEFAULT_TOKEN",
    "INVALID_SESSION_BODY",
    "LOGIN_USER_ID",
    "MAINTENANCE_HTML",
    "REQUEST_LIMIT_BODY",
    "SERVER_UNAVAILABLE_BODY",
    "URI_TOO_LONG_HTML",
    "Credentials",
    "FailureKind",
    "Org",
    "RecordedRequest",
    "RequestLog",
    "SoqlError",
    "StandIn",
    "execute_soql",
    "generate_org",
    "main",
    "make_id",
    "make_rsa_key_pair",
    "parse_soql",
]

Record: TypeAlias = dict[str, Any]
FieldType: TypeAlias = Literal[
    "id", "reference", "string", "boolean", "int", "double", "date", "datetime"
]
FailureKind: TypeAlias = Literal["any", "query", "more", "login"]

DEFAULT_TOKEN = "00DSTANDIN!token"
ORG_ID = "00DSTANDIN"
AGGREGATE_ROW_LIMIT = 2000
API_DAILY_LIMIT = 15000
_MAX_REQUEST_LINE = 1 << 22  # read (and then reject) request lines up to 4 MiB
_HANDSHAKE_TIMEOUT = 5.0
_IDLE_TIMEOUT = 60.0
_MAX_CURSORS = 256

INVALID_SESSION_BODY: list[dict[str, str]] = [
    {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
]
REQUEST_LIMIT_BODY: list[dict[str, str]] = [
    {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
]
SERVER_UNAVAILABLE_BODY: list[dict[str, str]] = [
    {
        "message": "Server temporarily unavailable. Please try again later.",
        "errorCode": "SERVER_UNAVAILABLE",
    }
]
MAINTENANCE_HTML = """\
<!DOCTYPE html>
<html><head><title>Salesforce - Down for Maintenance</title></head>
<body><h1>Down for Maintenance</h1>
<p>Salesforce is undergoing scheduled maintenance. We will be back shortly.
Thank you for your patience.</p></body></html>
"""
URI_TOO_LONG_HTML = """\
<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>414 URI Too Long</title>
</head><body>
<h1>URI Too Long</h1>
<p>The requested URL's length exceeds the capacity
limit for this server.</p>
</body></html>
"""
_INVALID_LOGIN = "INVALID_LOGIN: Invalid username, password, security token; or user locked out."
_NO_COLUMN_HINT = (
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom "
    "field name. Please reference your WSDL or the describe call for the appropriate names."
)
_NO_RELATIONSHIP_HINT = (
    "If you are attempting to use a custom relationship, be sure to append the '__r' after the "
    "custom relationship name. Please reference your WSDL or the describe call for the "
    "appropriate names."
)

# ---------------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------------

_AUDIT: dict[str, FieldType] = {
    "CreatedDate": "datetime",
    "LastModifiedDate": "datetime",
    "SystemModstamp": "datetime",
}

STANDARD_FIELDS: dict[str, dict[str, FieldType]] = {
    "Account": {
        "Id": "id", "Name": "string", "ParentId": "reference", "OwnerId": "reference",
        "Industry": "string", "Type": "string", "Website": "string", "BillingCountry": "string",
        "AnnualRevenue": "double", "NumberOfEmployees": "int", "LastActivityDate": "date",
        **_AUDIT,
    },
    "Contact": {
        "Id": "id", "AccountId": "reference", "FirstName": "string", "LastName": "string",
        "Name": "string", "Title": "string", "Department": "string", "Email": "string",
        "OwnerId": "reference", "LastActivityDate": "date", **_AUDIT,
    },
    "Opportunity": {
        "Id": "id", "AccountId": "reference", "Name": "string", "Amount": "double",
        "StageName": "string", "CloseDate": "date", "Probability": "double",
        "IsClosed": "boolean", "IsWon": "boolean", "OwnerId": "reference",
        "LastActivityDate": "date", **_AUDIT,
    },
    "OpportunityContactRole": {
        "Id": "id", "OpportunityId": "reference", "ContactId": "reference", "Role": "string",
        "IsPrimary": "boolean", **_AUDIT,
    },
    "Task": {
        "Id": "id", "AccountId": "reference", "WhoId": "reference", "WhatId": "reference",
        "OwnerId": "reference", "Subject": "string", "ActivityDate": "date",
        "Status": "string", "Type": "string", "Priority": "string", "IsClosed": "boolean",
        "TaskSubtype": "string", **_AUDIT,
    },
    "Event": {
        "Id": "id", "AccountId": "reference", "WhoId": "reference", "WhatId": "reference",
        "OwnerId": "reference", "Subject": "string", "ActivityDate": "date",
        "ActivityDateTime": "datetime", "StartDateTime": "datetime", "EndDateTime": "datetime",
        "DurationInMinutes": "int", "Type": "string", "EventSubtype": "string", **_AUDIT,
    },
    "User": {
        "Id": "id", "Name": "string", "FirstName": "string", "LastName": "string",
        "Email": "string", "Username": "string", "Title": "string", "IsActive": "boolean",
        **_AUDIT,
    },
}

KEY_PREFIXES: dict[str, str] = {
    "Account": "001",
    "Contact": "003",
    "User": "005",
    "Opportunity": "006",
    "OpportunityContactRole": "00K",
    "Task": "00T",
    "Event": "00U",
}
_OBJECT_BY_PREFIX = {prefix: name for name, prefix in KEY_PREFIXES.items()}

# Fields of the polymorphic "Name" entity that Who and What resolve to.
NAME_ENTITY_FIELDS: dict[str, FieldType] = {
    "Id": "id", "Name": "string", "Type": "string", "FirstName": "string",
    "LastName": "string", "Email": "string", "Title": "string", "Phone": "string",
    "Alias": "string", "Username": "string", "IsActive": "boolean", "Department": "string",
}


@dataclass(frozen=True)
class Lookup:
    """A parent relationship: ``name`` (Owner) through the foreign key ``field`` (OwnerId)."""

    name: str
    field: str
    targets: tuple[str, ...]
    polymorphic: bool = False


@dataclass(frozen=True)
class ChildRelationship:
    """A child relationship: ``name`` (Contacts) of ``child`` (Contact) via ``field``."""

    name: str
    child: str
    field: str


def _lookups(*items: Lookup) -> dict[str, Lookup]:
    return {item.name.lower(): item for item in items}


_OWNER = Lookup("Owner", "OwnerId", ("User",))
_ACCOUNT = Lookup("Account", "AccountId", ("Account",))
_WHO = Lookup("Who", "WhoId", ("Contact",), polymorphic=True)
_WHAT = Lookup("What", "WhatId", ("Account", "Opportunity"), polymorphic=True)

LOOKUPS: dict[str, dict[str, Lookup]] = {
    "Account": _lookups(Lookup("Parent", "ParentId", ("Account",)), _OWNER),
    "Contact": _lookups(_ACCOUNT, _OWNER),
    "Opportunity": _lookups(_ACCOUNT, _OWNER),
    "OpportunityContactRole": _lookups(
        Lookup("Opportunity", "OpportunityId", ("Opportunity",)),
        Lookup("Contact", "ContactId", ("Contact",)),
    ),
    "Task": _lookups(_ACCOUNT, _OWNER, _WHO, _WHAT),
    "Event": _lookups(_ACCOUNT, _OWNER, _WHO, _WHAT),
    "User": {},
}


def _children(*items: ChildRelationship) -> dict[str, ChildRelationship]:
    return {item.name.lower(): item for item in items}


CHILD_RELATIONSHIPS: dict[str, dict[str, ChildRelationship]] = {
    "Account": _children(
        ChildRelationship("ChildAccounts", "Account", "ParentId"),
        ChildRelationship("Contacts", "Contact", "AccountId"),
        ChildRelationship("Opportunities", "Opportunity", "AccountId"),
        ChildRelationship("Tasks", "Task", "WhatId"),
        ChildRelationship("Events", "Event", "WhatId"),
    ),
    "Contact": _children(
        ChildRelationship("OpportunityContactRoles", "OpportunityContactRole", "ContactId"),
        ChildRelationship("Tasks", "Task", "WhoId"),
        ChildRelationship("Events", "Event", "WhoId"),
    ),
    "Opportunity": _children(
        ChildRelationship("OpportunityContactRoles", "OpportunityContactRole", "OpportunityId"),
        ChildRelationship("Tasks", "Task", "WhatId"),
        ChildRelationship("Events", "Event", "WhatId"),
    ),
    "OpportunityContactRole": {},
    "Task": {},
    "Event": {},
    "User": {},
}

_CLOSED_STAGES = {"closed won": (True, True), "closed lost": (True, False)}

# ---------------------------------------------------------------------------------------------
# Ids and values
# ---------------------------------------------------------------------------------------------

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_SHAPE = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")


def make_id(prefix: str, n: int) -> str:
    """The ``n``-th 18-character Id with key ``prefix`` (valid checksum, like Salesforce's)."""
    digits = ""
    while True:
        n, rest = divmod(n, 62)
        digits = _BASE62[rest] + digits
        if n == 0:
            break
    base = f"{prefix}8d{digits:0>10}"
    if len(base) != 15:
        raise ValueError(f"Id counter too large for prefix {prefix!r}")
    return base + checksum(base)


LOGIN_USER_ID = "005STANDIN00001" + checksum("005STANDIN00001")


_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def _normalize_id(value: str) -> str | None:
    """The 18-character form of an Id literal, or None if it is not a valid Id.

    15-character Ids are case-sensitive; 18-character ones are not (the suffix says which
    letters are upper case), as in Salesforce.
    """
    if not _ID_SHAPE.fullmatch(value):
        return None
    if len(value) == 15:
        return value + checksum(value)
    chars = list(value[:15])
    for block, char in enumerate(value[15:].upper()):
        bits = _SUFFIX_ALPHABET.find(char)
        if bits < 0:
            return None
        for offset in range(5):
            index = block * 5 + offset
            upper = bool(bits >> offset & 1)
            if upper and not chars[index].isalpha():
                return None
            chars[index] = chars[index].upper() if upper else chars[index].lower()
    base = "".join(chars)
    return base + checksum(base)


_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?"
)


def _parse_datetime(text: str) -> datetime:
    match = _DATETIME_RE.fullmatch(text)
    if not match:
        raise ValueError(f"not a datetime: {text!r}")
    year, month, day, hour, minute, second, frac, zone = match.groups()
    value = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second),
        int((frac or "0").ljust(6, "0")), tzinfo=UTC,
    )
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        value -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return value


def _coerce(ftype: FieldType, value: Any) -> Any:
    """A stored value of field type ``ftype`` from what a caller passed."""
    if value is None:
        return None
    if ftype == "date":
        if isinstance(value, datetime):
            return value.astimezone(UTC).date() if value.tzinfo else value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value))
    if ftype == "datetime":
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if isinstance(value, date):
            return datetime.combine(value, time(), tzinfo=UTC)
        return _parse_datetime(str(value))
    if ftype == "double":
        return float(value)
    if ftype == "int":
        return int(value)
    if ftype == "boolean":
        return bool(value)
    return str(value)


def _infer_type(value: Any) -> FieldType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "string"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _attributes(sobject: str, record_id: str, version: str) -> dict[str, str]:
    return {"type": sobject, "url": f"/services/data/v{version}/sobjects/{sobject}/{record_id}"}


# ---------------------------------------------------------------------------------------------
# The org
# ---------------------------------------------------------------------------------------------


@dataclass
class Credentials:
    """What the login endpoints accept. ``jwt_public_key`` (PEM) enables the JWT flow."""

    username: str = "integration@standin.example.com"
    password: str = "stand-in-password"
    security_token: str = "STANDINSECURITYTOKEN"
    consumer_key: str = "3MVG9STANDIN.consumer.key"
    jwt_public_key: bytes | None = None


class Org:
    """Records per object, as plain dicts keyed by Salesforce field names.

    Values are stored typed (``date``, aware ``datetime``, ``float``...) and may be given as
    ISO strings. Keys a record carries beyond the standard fields join the object's schema.
    Mutate through the methods (not the dicts) so the indexes stay correct.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users_credentials = Credentials()
        self._records: dict[str, dict[str, Record]] = {name: {} for name in STANDARD_FIELDS}
        self._extra: dict[str, dict[str, FieldType]] = {name: {} for name in STANDARD_FIELDS}
        self._removed: dict[str, set[str]] = {name: set() for name in STANDARD_FIELDS}
        self._counters = {name: itertools.count(1) for name in STANDARD_FIELDS}
        self._version = 0
        self._indexes: dict[tuple[str, str], tuple[int, dict[Any, list[Record]]]] = {}
        self._known: dict[str, dict[str, tuple[str, FieldType]]] = {}  # lower name -> field

    # -- schema -----------------------------------------------------------------------------

    def object_name(self, name: str) -> str | None:
        """The canonical spelling of an object name, or None if the org has no such object."""
        if name in self._records:
            return name
        for known in self._records:
            if known.lower() == name.lower():
                return known
        return None

    def _sobject(self, name: str) -> str:
        known = self.object_name(name)
        if known is None:
            raise KeyError(f"the stand-in has no object {name!r}")
        return known

    def fields(self, sobject: str) -> dict[str, FieldType]:
        """Field name -> type for ``sobject``: standard fields plus record keys, minus removed."""
        sobject = self._sobject(sobject)
        with self.lock:
            removed = self._removed[sobject]
            merged = {**STANDARD_FIELDS[sobject], **self._extra[sobject]}
            return {name: kind for name, kind in merged.items() if name.lower() not in removed}

    def remove_field(self, sobject: str, field_name: str) -> None:
        """Make the org lack ``field_name`` on ``sobject`` (queries naming it get INVALID_FIELD)."""
        sobject = self._sobject(sobject)
        with self.lock:
            self._removed[sobject].add(field_name.lower())
            self._known.pop(sobject, None)
            for record in self._records[sobject].values():
                for key in [k for k in record if k.lower() == field_name.lower()]:
                    del record[key]
            self._version += 1

    # -- records ----------------------------------------------------------------------------

    def new_id(self, sobject: str) -> str:
        sobject = self._sobject(sobject)
        return make_id(KEY_PREFIXES[sobject], next(self._counters[sobject]))

    def insert(self, sobject: str, values: Mapping[str, Any]) -> str:
        """Add one record (an Id is assigned unless given) and return its Id."""
        sobject = self._sobject(sobject)
        with self.lock:
            known = self._known.get(sobject)
            if known is None:
                known = {name.lower(): (name, kind) for name, kind in self.fields(sobject).items()}
                self._known[sobject] = known
            removed = self._removed[sobject]
            record: Record = {}
            for key, value in values.items():
                if key.lower() in removed:
                    continue
                if key.lower() in known:
                    name, kind = known[key.lower()]
                else:
                    name, kind = key, _infer_type(value)
                    self._extra[sobject][name] = kind
                    known[key.lower()] = (name, kind)
                record[name] = _coerce(kind, value)
            self._derive(sobject, record)
            record_id = record.get("Id") or self.new_id(sobject)
            record["Id"] = record_id
            self._records[sobject][record_id] = record
            self._version += 1
            return str(record_id)

    def _derive(self, sobject: str, record: Record) -> None:
        if sobject in ("Contact", "User") and "Name" not in record:
            parts = [record.get("FirstName"), record.get("LastName")]
            name = " ".join(str(p) for p in parts if p)
            if name:
                record["Name"] = name
        if sobject == "Opportunity" and record.get("StageName") is not None:
            closed, won = _CLOSED_STAGES.get(str(record["StageName"]).lower(), (False, False))
            record.setdefault("IsClosed", closed)
            record.setdefault("IsWon", won)
        if sobject == "Task" and "IsClosed" not in record and record.get("Status") is not None:
            record["IsClosed"] = str(record["Status"]).lower() == "completed"

    def update(self, sobject: str, record_id: str, **values: Any) -> None:
        sobject = self._sobject(sobject)
        with self.lock:
            current = dict(self._records[sobject][record_id])
            renamed = {"firstname", "lastname"} & {key.lower() for key in values}
            if sobject in ("Contact", "User") and renamed and "Name" not in values:
                current.pop("Name", None)  # derive it again
            if sobject == "Opportunity" and "StageName" in values:
                current.pop("IsClosed", None)
                current.pop("IsWon", None)
            self.insert(sobject, {**current, **values})

    def delete(self, sobject: str, record_id: str) -> None:
        sobject = self._sobject(sobject)
        with self.lock:
            del self._records[sobject][record_id]
            self._version += 1

    def get(self, sobject: str, record_id: str) -> Record | None:
        return self._records[self._sobject(sobject)].get(record_id)

    def find(self, record_id: str) -> tuple[str, Record] | None:
        """(object, record) for any Id, by its key prefix."""
        sobject = _OBJECT_BY_PREFIX.get(record_id[:3])
        if sobject is None:
            return None
        record = self._records[sobject].get(record_id)
        return None if record is None else (sobject, record)

    def records(self, sobject: str) -> list[Record]:
        with self.lock:
            return list(self._records[self._sobject(sobject)].values())

    def count(self, sobject: str) -> int:
        return len(self._records[self._sobject(sobject)])

    def lookup(self, relationship: Lookup, value: Any) -> tuple[str, Record] | None:
        if not isinstance(value, str):
            return None
        if relationship.polymorphic:
            found = self.find(value)
            if found is None or found[0] not in relationship.targets:
                return None
            return found
        record = self._records[relationship.targets[0]].get(value)
        return None if record is None else (relationship.targets[0], record)

    def children(self, sobject: str, field_name: str, parent_id: str) -> list[Record]:
        """Records of ``sobject`` whose ``field_name`` is ``parent_id`` (indexed)."""
        key = (sobject, field_name)
        with self.lock:
            cached = self._indexes.get(key)
            if cached is None or cached[0] != self._version:
                index: dict[Any, list[Record]] = {}
                for record in self._records[sobject].values():
                    value = record.get(field_name)
                    if value is not None:
                        index.setdefault(value, []).append(record)
                cached = (self._version, index)
                self._indexes[key] = cached
        return cached[1].get(parent_id, [])

    # -- convenience ------------------------------------------------------------------------

    def add_user(
        self, name: str, *, email: str | None = None, title: str | None = None,
        is_active: bool = True, **values: Any,
    ) -> str:
        first, _, last = name.rpartition(" ")
        email = email or f"{name.lower().replace(' ', '.')}@example.com"
        return self.insert("User", {
            "Name": name, "FirstName": first or None, "LastName": last or name,
            "Email": email, "Username": email, "Title": title, "IsActive": is_active, **values,
        })

    def add_account(
        self, name: str, *, parent_id: str | None = None, owner_id: str | None = None,
        **values: Any,
    ) -> str:
        return self.insert(
            "Account", {"Name": name, "ParentId": parent_id, "OwnerId": owner_id, **values}
        )

    def add_contact(
        self, account_id: str | None, first_name: str | None, last_name: str, *,
        title: str | None = None, email: str | None = None, owner_id: str | None = None,
        **values: Any,
    ) -> str:
        return self.insert("Contact", {
            "AccountId": account_id, "FirstName": first_name, "LastName": last_name,
            "Title": title, "Email": email, "OwnerId": owner_id, **values,
        })

    def add_opportunity(
        self, account_id: str | None, name: str, *, amount: float | None = None,
        stage: str = "Prospecting", close_date: date | str | None = None,
        probability: float | None = None, owner_id: str | None = None, **values: Any,
    ) -> str:
        return self.insert("Opportunity", {
            "AccountId": account_id, "Name": name, "Amount": amount, "StageName": stage,
            "CloseDate": close_date, "Probability": probability, "OwnerId": owner_id, **values,
        })

    def add_contact_role(
        self, opportunity_id: str, contact_id: str, *, role: str | None = None,
        is_primary: bool = False, **values: Any,
    ) -> str:
        return self.insert("OpportunityContactRole", {
            "OpportunityId": opportunity_id, "ContactId": contact_id, "Role": role,
            "IsPrimary": is_primary, **values,
        })

    def add_task(
        self, *, account_id: str | None = None, who_id: str | None = None,
        what_id: str | None = None, subject: str = "Call",
        activity_date: date | str | None = None, status: str = "Completed",
        owner_id: str | None = None, **values: Any,
    ) -> str:
        return self.insert("Task", {
            "AccountId": account_id, "WhoId": who_id, "WhatId": what_id, "Subject": subject,
            "ActivityDate": activity_date, "Status": status, "OwnerId": owner_id, **values,
        })

    def add_event(
        self, *, account_id: str | None = None, who_id: str | None = None,
        what_id: str | None = None, subject: str = "Meeting",
        start: datetime | str | None = None, minutes: int = 60,
        owner_id: str | None = None, **values: Any,
    ) -> str:
        begins = _coerce("datetime", start) if start is not None else None
        return self.insert("Event", {
            "AccountId": account_id, "WhoId": who_id, "WhatId": what_id, "Subject": subject,
            "ActivityDateTime": begins, "StartDateTime": begins,
            "EndDateTime": begins + timedelta(minutes=minutes) if begins else None,
            "ActivityDate": begins.date() if begins else None, "DurationInMinutes": minutes,
            "OwnerId": owner_id, **values,
        })


# ---------------------------------------------------------------------------------------------
# SOQL: errors, tokens, syntax tree
# ---------------------------------------------------------------------------------------------


class SoqlError(Exception):
    """A query Salesforce would refuse; ``body()`` is the REST error list."""

    def __init__(self, error_code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message
        self.status = status

    def body(self) -> list[dict[str, str]]:
        return [{"message": self.message, "errorCode": self.error_code}]


def _at(query: str, pos: int, text: str) -> str:
    """Salesforce's positioned message: the query line, a caret, Row and Column, the text."""
    pos = max(0, min(pos, len(query)))
    row = query.count("\n", 0, pos) + 1
    start = query.rfind("\n", 0, pos) + 1
    end = query.find("\n", pos)
    line = query[start : len(query) if end < 0 else end]
    column = pos - start + 1
    return f"\n{line}\n{' ' * (column - 1)}^\nERROR at Row:{row}:Column:{column}\n{text}"


@dataclass(frozen=True)
class Token:
    kind: str  # ident, string, number, date, datetime, op, punct, eof
    text: str
    value: Any
    pos: int
    like: str | None = None  # for strings: the LIKE pattern as a regular expression


_TOKEN_RE = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2}))
    | (?P<date>\d{4}-\d{2}-\d{2})
    | (?P<number>[-+]?(?:\d+(?:\.\d+)?|\.\d+))
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<op><=|>=|!=|<>|=|<|>)
    | (?P<punct>[(),:])
    """,
    re.VERBOSE,
)
_STRING_ESCAPES = {
    "n": "\n", "N": "\n", "r": "\r", "R": "\r", "t": "\t", "T": "\t", "b": "\b", "B": "\b",
    "f": "\f", "F": "\f", '"': '"', "'": "'", "\\": "\\", "_": "_", "%": "%",
}


def _malformed(query: str, pos: int, text: str) -> SoqlError:
    return SoqlError("MALFORMED_QUERY", _at(query, pos, text))


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(query):
        if query[pos] == "'":
            tokens.append(_string_token(query, pos))
            pos += len(tokens[-1].text)
            continue
        match = _TOKEN_RE.match(query, pos)
        if not match:
            raise _malformed(query, pos, f"unexpected token: '{query[pos]}'")
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "datetime":
            tokens.append(Token(kind, text, _parse_datetime(text), pos))
        elif kind == "date":
            try:
                tokens.append(Token(kind, text, date.fromisoformat(text), pos))
            except ValueError:
                raise _malformed(query, pos, f"invalid date: {text}") from None
        elif kind == "number":
            value: float | int = float(text) if "." in text else int(text)
            tokens.append(Token(kind, text, value, pos))
        elif kind != "ws":
            tokens.append(Token(kind, text, text, pos))
        pos = match.end()
    tokens.append(Token("eof", "", None, len(query)))
    return tokens


def _string_token(query: str, start: int) -> Token:
    value: list[str] = []
    pattern: list[str] = []
    pos = start + 1
    while pos < len(query):
        char = query[pos]
        if char == "'":
            text = query[start : pos + 1]
            return Token("string", text, "".join(value), start, "".join(pattern))
        if char == "\\":
            escaped = query[pos + 1 : pos + 2]
            if escaped not in _STRING_ESCAPES:
                raise _malformed(
                    query, pos, "Invalid string literal '" + query[start:pos + 2] + "'. "
                    "Illegal character sequence '\\" + escaped + "' in string literal."
                )
            value.append(_STRING_ESCAPES[escaped])
            pattern.append(re.escape(_STRING_ESCAPES[escaped]))
            pos += 2
            continue
        value.append(char)
        pattern.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        pos += 1
    raise _malformed(query, start, "unexpected token: <EOF> (unterminated string literal)")


@dataclass(frozen=True)
class PathNode:
    parts: tuple[str, ...]
    pos: int
    text: str


@dataclass(frozen=True)
class AggregateNode:
    func: str
    arg: PathNode | None
    alias: str | None
    pos: int

    def same_call(self, other: AggregateNode) -> bool:
        mine = None if self.arg is None else tuple(p.lower() for p in self.arg.parts)
        theirs = None if other.arg is None else tuple(p.lower() for p in other.arg.parts)
        return self.func == other.func and mine == theirs


@dataclass(frozen=True)
class FieldNode:
    path: PathNode
    alias: str | None


@dataclass(frozen=True)
class SubqueryNode:
    query: SelectNode
    pos: int


@dataclass(frozen=True)
class Literal_:
    kind: str  # string, number, date, datetime, boolean, null, range
    value: Any
    pos: int
    text: str
    like: str | None = None


@dataclass(frozen=True)
class CompareNode:
    path: PathNode
    op: str
    value: Literal_


@dataclass(frozen=True)
class InNode:
    path: PathNode
    values: tuple[Literal_, ...]
    negated: bool


@dataclass(frozen=True)
class SemiJoinNode:
    path: PathNode
    query: SelectNode
    negated: bool


@dataclass(frozen=True)
class LikeNode:
    path: PathNode
    value: Literal_


@dataclass(frozen=True)
class BoolNode:
    op: str  # AND, OR
    terms: tuple[Condition, ...]


@dataclass(frozen=True)
class NotNode:
    term: Condition


Condition: TypeAlias = CompareNode | InNode | SemiJoinNode | LikeNode | BoolNode | NotNode
SelectItem: TypeAlias = FieldNode | AggregateNode | SubqueryNode


@dataclass(frozen=True)
class OrderNode:
    expr: PathNode | AggregateNode
    descending: bool
    nulls_last: bool


@dataclass(frozen=True)
class SelectNode:
    items: tuple[SelectItem, ...]
    sobject: str
    sobject_pos: int
    where: Condition | None
    group_by: tuple[PathNode, ...]
    order_by: tuple[OrderNode, ...]
    limit: int | None
    offset: int | None


_AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"})
_RESERVED = frozenset({
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "GROUP", "BY", "ORDER", "ASC",
    "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET", "HAVING", "TRUE", "FALSE", "NULL",
    "INCLUDES", "EXCLUDES", "WITH", "FOR", "USING", "TYPEOF", "ROLLUP", "CUBE", "UPDATE",
})
_N_DAY_LITERALS = frozenset({"LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO"})
_DAY_LITERALS = frozenset({
    "TODAY", "YESTERDAY", "TOMORROW", "LAST_90_DAYS", "NEXT_90_DAYS", "THIS_MONTH",
    "LAST_MONTH", "THIS_YEAR",
})


def _utc_today() -> date:
    return datetime.now(UTC).date()


def _relative_range(name: str, n: int | None, today: date) -> tuple[date, date]:
    """[first, last] days (inclusive) a relative date literal covers."""
    if name == "TODAY":
        return today, today
    if name == "YESTERDAY":
        return today - timedelta(days=1), today - timedelta(days=1)
    if name == "TOMORROW":
        return today + timedelta(days=1), today + timedelta(days=1)
    if name in ("LAST_N_DAYS", "LAST_90_DAYS"):
        return today - timedelta(days=90 if n is None else n), today
    if name in ("NEXT_N_DAYS", "NEXT_90_DAYS"):
        return today, today + timedelta(days=90 if n is None else n)
    if name == "N_DAYS_AGO":
        day = today - timedelta(days=n or 0)
        return day, day
    if name == "THIS_MONTH":
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if name == "LAST_MONTH":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today.replace(month=1, day=1), today.replace(month=12, day=31)  # THIS_YEAR


class _Parser:
    def __init__(self, query: str, today: date) -> None:
        self.query = query
        self.today = today
        self.tokens = tokenize(query)
        self.i = 0

    # -- token helpers ----------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def at_keyword(self, *words: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == "ident" and token.text.upper() in words

    def at_punct(self, char: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == "punct" and token.text == char

    def unexpected(self, token: Token | None = None) -> SoqlError:
        token = token or self.peek()
        shown = "<EOF>" if token.kind == "eof" else token.text
        return _malformed(self.query, token.pos, f"unexpected token: {shown}")

    def expect_keyword(self, word: str) -> Token:
        if not self.at_keyword(word):
            raise self.unexpected()
        return self.advance()

    def expect_punct(self, char: str) -> Token:
        if not self.at_punct(char):
            raise self.unexpected()
        return self.advance()

    def identifier(self) -> Token:
        token = self.peek()
        if token.kind != "ident" or token.text.upper() in _RESERVED:
            raise self.unexpected()
        return self.advance()

    # -- grammar ----------------------------------------------------------------------------

    def parse(self) -> SelectNode:
        select = self.select(top=True)
        if self.peek().kind != "eof":
            raise self.unexpected()
        return select

    def select(self, *, top: bool) -> SelectNode:
        self.expect_keyword("SELECT")
        items = [self.select_item(top=top)]
        while self.at_punct(","):
            self.advance()
            items.append(self.select_item(top=top))
        self.expect_keyword("FROM")
        sobject = self.identifier()
        if "." in sobject.text:
            raise self.unexpected(sobject)
        where = None
        group_by: list[PathNode] = []
        order_by: list[OrderNode] = []
        limit = offset = None
        if self.at_keyword("WHERE"):
            self.advance()
            where = self.condition()
        if self.at_keyword("GROUP"):
            if not top:
                raise self.unexpected()
            self.advance()
            self.expect_keyword("BY")
            group_by.append(self.path())
            while self.at_punct(","):
                self.advance()
                group_by.append(self.path())
        if self.at_keyword("HAVING"):
            raise _malformed(self.query, self.peek().pos, "HAVING is not supported by the stand-in")
        if self.at_keyword("ORDER"):
            self.advance()
            self.expect_keyword("BY")
            order_by.append(self.order_item())
            while self.at_punct(","):
                self.advance()
                order_by.append(self.order_item())
        if self.at_keyword("LIMIT"):
            self.advance()
            limit = self.integer()
        if self.at_keyword("OFFSET"):
            self.advance()
            offset = self.integer()
        return SelectNode(
            tuple(items), sobject.text, sobject.pos, where, tuple(group_by), tuple(order_by),
            limit, offset,
        )

    def integer(self) -> int:
        token = self.peek()
        if token.kind != "number" or not isinstance(token.value, int) or token.value < 0:
            raise self.unexpected()
        self.advance()
        return int(token.value)

    def select_item(self, *, top: bool) -> SelectItem:
        token = self.peek()
        if self.at_punct("("):
            if not top or not self.at_keyword("SELECT", ahead=1):
                raise self.unexpected(self.peek(1) if top else token)
            self.advance()
            query = self.select(top=False)
            self.expect_punct(")")
            return SubqueryNode(query, token.pos)
        if token.kind == "ident" and token.text.upper() in _AGGREGATES and self.at_punct("(", 1):
            return self.aggregate(with_alias=True)
        path = self.path()
        return FieldNode(path, self.alias())

    def alias(self) -> str | None:
        token = self.peek()
        if token.kind == "ident" and token.text.upper() not in _RESERVED and "." not in token.text:
            self.advance()
            return token.text
        return None

    def aggregate(self, *, with_alias: bool) -> AggregateNode:
        name = self.advance()
        self.expect_punct("(")
        arg = None
        if not self.at_punct(")"):
            arg = self.path()
        self.expect_punct(")")
        func = name.text.upper()
        if arg is None and func != "COUNT":
            raise self.unexpected(self.tokens[self.i - 1])
        return AggregateNode(func, arg, self.alias() if with_alias else None, name.pos)

    def path(self) -> PathNode:
        token = self.identifier()
        return PathNode(tuple(token.text.split(".")), token.pos, token.text)

    def order_item(self) -> OrderNode:
        token = self.peek()
        expr: PathNode | AggregateNode
        if token.kind == "ident" and token.text.upper() in _AGGREGATES and self.at_punct("(", 1):
            expr = self.aggregate(with_alias=False)
        else:
            expr = self.path()
        descending = False
        if self.at_keyword("ASC", "DESC"):
            descending = self.advance().text.upper() == "DESC"
        nulls_last = False
        if self.at_keyword("NULLS"):
            self.advance()
            if not self.at_keyword("FIRST", "LAST"):
                raise self.unexpected()
            nulls_last = self.advance().text.upper() == "LAST"
        return OrderNode(expr, descending, nulls_last)

    def condition(self) -> Condition:
        terms = [self.unary()]
        op: str | None = None
        while self.at_keyword("AND", "OR"):
            token = self.advance()
            word = token.text.upper()
            if op is not None and word != op:
                raise self.unexpected(token)
            op = word
            terms.append(self.unary())
        return terms[0] if op is None else BoolNode(op, tuple(terms))

    def unary(self) -> Condition:
        if self.at_keyword("NOT"):
            self.advance()
            return NotNode(self.unary())
        if self.at_punct("("):
            self.advance()
            inner = self.condition()
            self.expect_punct(")")
            return inner
        return self.comparison()

    def comparison(self) -> Condition:
        path = self.path()
        token = self.peek()
        if token.kind == "op":
            self.advance()
            op = "!=" if token.text == "<>" else token.text
            return CompareNode(path, op, self.value())
        negated = False
        if self.at_keyword("NOT") and self.at_keyword("IN", ahead=1):
            self.advance()
            negated = True
        if self.at_keyword("IN"):
            self.advance()
            self.expect_punct("(")
            if self.at_keyword("SELECT"):
                query = self.select(top=False)
                self.expect_punct(")")
                return SemiJoinNode(path, query, negated)
            values = [self.value()]
            while self.at_punct(","):
                self.advance()
                values.append(self.value())
            self.expect_punct(")")
            return InNode(path, tuple(values), negated)
        if self.at_keyword("LIKE"):
            self.advance()
            value = self.value()
            if value.kind != "string":
                raise _malformed(self.query, value.pos, f"unexpected token: {value.text}")
            return LikeNode(path, value)
        raise self.unexpected()

    def value(self) -> Literal_:
        token = self.peek()
        if token.kind in ("string", "number", "date", "datetime"):
            self.advance()
            return Literal_(token.kind, token.value, token.pos, token.text, token.like)
        if token.kind == "ident":
            word = token.text.upper()
            if word in ("TRUE", "FALSE"):
                self.advance()
                return Literal_("boolean", word == "TRUE", token.pos, token.text)
            if word == "NULL":
                self.advance()
                return Literal_("null", None, token.pos, token.text)
            if word in _DAY_LITERALS:
                self.advance()
                span = _relative_range(word, None, self.today)
                return Literal_("range", span, token.pos, token.text)
            if word in _N_DAY_LITERALS:
                self.advance()
                self.expect_punct(":")
                n = self.integer()
                span = _relative_range(word, n, self.today)
                return Literal_("range", span, token.pos, f"{token.text}:{n}")
        raise self.unexpected()


def parse_soql(query: str, *, today: date | None = None) -> SelectNode:
    """The syntax tree of ``query``, or SoqlError (MALFORMED_QUERY)."""
    return _Parser(query, today or _utc_today()).parse()


# ---------------------------------------------------------------------------------------------
# SOQL: planning and execution
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    steps: tuple[Lookup, ...]
    name: str
    ftype: FieldType
    written: str  # the last part as written in the query

    @property
    def key(self) -> tuple[str, ...]:
        return (*(step.name for step in self.steps), self.name)


Getter: TypeAlias = Callable[[Record], Any]
Predicate: TypeAlias = Callable[[Record], bool]
Placer: TypeAlias = Callable[[Record, Record, str], None]


@dataclass
class _RowsResult:
    """A non-aggregate result: matching records and how to render one."""

    sobject: str
    rows: list[Record]
    render: Callable[[Record, str], Record]


@dataclass
class _AggregateResult:
    rows: list[Record]


@dataclass
class _CountResult:
    count: int


QueryResult: TypeAlias = _RowsResult | _AggregateResult | _CountResult

_SF_TYPE_NAMES: dict[str, str] = {
    "id": "id", "reference": "id", "string": "string", "boolean": "boolean", "int": "integer",
    "double": "double", "date": "date", "datetime": "dateTime",
}
_LITERAL_FITS: dict[str, tuple[str, ...]] = {
    "id": ("string",), "reference": ("string",), "string": ("string",),
    "boolean": ("boolean",), "int": ("number",), "double": ("number",),
    "date": ("date", "range"), "datetime": ("datetime", "range"),
}


def _sort_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, bool):
        return int(value)
    return value


def _sort(rows: list[Any], specs: Sequence[tuple[Callable[[Any], Any], bool, bool]]) -> None:
    """Stable multi-key sort; each spec is (value function, descending, nulls_last)."""
    for func, descending, nulls_last in reversed(specs):
        # Nulls sort first by default, in either direction (as in SOQL).
        if descending:
            null_key: tuple[int, ...] = (0,) if nulls_last else (2,)
        else:
            null_key = (2,) if nulls_last else (0,)

        def key(
            row: Any, func: Callable[[Any], Any] = func, null_key: tuple[int, ...] = null_key
        ) -> tuple[Any, ...]:
            value = func(row)
            return null_key if value is None else (1, _sort_value(value))

        rows.sort(key=key, reverse=descending)


_Group: TypeAlias = tuple[tuple[Any, ...], list[Record]]  # (grouped values, member records)


def _group_value(index: int, *, as_json: bool = False) -> Callable[[_Group], Any]:
    if as_json:
        return lambda group: _json_value(group[0][index])
    return lambda group: group[0][index]


def _group_aggregate(compute: Callable[[list[Record]], Any]) -> Callable[[_Group], Any]:
    return lambda group: compute(group[1])


class _Executor:
    def __init__(self, org: Org, query: str, today: date) -> None:
        self.org = org
        self.query = query
        self.today = today

    # -- resolution -------------------------------------------------------------------------

    def sobject(self, name: str, pos: int) -> str:
        known = self.org.object_name(name)
        if known is None:
            raise SoqlError("INVALID_TYPE", _at(
                self.query, pos,
                f"sObject type '{name}' is not supported. If you are attempting to use a custom "
                "object, be sure to append the '__c' after the entity name. Please reference "
                "your WSDL or the describe call for the appropriate names.",
            ))
        return known

    def resolve(self, sobject: str, path: PathNode) -> _Field:
        parts = list(path.parts)
        qualifier = parts[0].lower()
        if len(parts) > 1 and qualifier == sobject.lower() and qualifier not in LOOKUPS[sobject]:
            parts = parts[1:]  # "Contact.Name" from Contact: the object name as a qualifier
        current: str | None = sobject  # None: the polymorphic Name entity
        steps: list[Lookup] = []
        for part in parts[:-1]:
            step = None if current is None else LOOKUPS[current].get(part.lower())
            if step is None or current is None or step.field not in self.org.fields(current):
                raise SoqlError("INVALID_FIELD", _at(
                    self.query, path.pos,
                    f"Didn't understand relationship '{part}' in field path. "
                    + _NO_RELATIONSHIP_HINT,
                ))
            steps.append(step)
            current = None if step.polymorphic else step.targets[0]
        last = parts[-1]
        fields = NAME_ENTITY_FIELDS if current is None else self.org.fields(current)
        for name, ftype in fields.items():
            if name.lower() == last.lower():
                return _Field(tuple(steps), name, ftype, last)
        raise SoqlError("INVALID_FIELD", _at(
            self.query, path.pos,
            f"No such column '{last}' on entity '{current or 'Name'}'. " + _NO_COLUMN_HINT,
        ))

    def getter(self, resolved: _Field) -> Getter:
        name = resolved.name
        steps = resolved.steps
        if not steps:
            return lambda record: record.get(name)
        org = self.org
        type_of_name_entity = name == "Type" and steps[-1].polymorphic

        def get(record: Record) -> Any:
            current = record
            sobject = ""
            for step in steps:
                found = org.lookup(step, current.get(step.field))
                if found is None:
                    return None
                sobject, current = found
            return sobject if type_of_name_entity else current.get(name)

        return get

    # -- conditions -------------------------------------------------------------------------

    def literal(self, resolved: _Field, literal: Literal_) -> Any:
        """The comparable value of ``literal`` against ``resolved`` (type-checked)."""
        if literal.kind == "null":
            return None
        if literal.kind not in _LITERAL_FITS[resolved.ftype]:
            quoted = resolved.ftype in ("id", "reference", "string")
            raise SoqlError("INVALID_QUERY_FILTER_OPERATOR", _at(
                self.query, literal.pos,
                f"value of filter criterion for field '{resolved.written}' must be of type "
                f"{_SF_TYPE_NAMES[resolved.ftype]} and should "
                f"{'' if quoted else 'not '}be enclosed in quotes",
            ))
        if resolved.ftype in ("id", "reference"):
            normalized = _normalize_id(literal.value)
            if normalized is None:
                raise SoqlError("INVALID_QUERY_FILTER_OPERATOR", _at(
                    self.query, literal.pos, f"invalid ID field: {literal.value}"
                ))
            return normalized
        if resolved.ftype == "string":
            return literal.value.casefold()
        if literal.kind == "range":
            first, last = literal.value
            end = last + timedelta(days=1)
            if resolved.ftype == "datetime":
                return (datetime.combine(first, time(), UTC), datetime.combine(end, time(), UTC))
            return (first, end)
        return literal.value

    def normalizer(self, resolved: _Field) -> Callable[[Any], Any]:
        if resolved.ftype == "string":
            return lambda value: value.casefold() if isinstance(value, str) else value
        return lambda value: value

    def condition(self, sobject: str, node: Condition) -> Predicate:
        if isinstance(node, BoolNode):
            terms = [self.condition(sobject, term) for term in node.terms]
            if node.op == "AND":
                return lambda record: all(term(record) for term in terms)
            return lambda record: any(term(record) for term in terms)
        if isinstance(node, NotNode):
            inner = self.condition(sobject, node.term)
            return lambda record: not inner(record)
        resolved = self.resolve(sobject, node.path)
        get = self.getter(resolved)
        norm = self.normalizer(resolved)
        if isinstance(node, CompareNode):
            return self.compare(resolved, get, norm, node)
        if isinstance(node, InNode):
            has_null = False
            targets: set[Any] = set()
            for literal in node.values:
                if literal.kind == "range":
                    raise _malformed(self.query, literal.pos, f"unexpected token: {literal.text}")
                value = self.literal(resolved, literal)
                if value is None:
                    has_null = True
                else:
                    targets.add(value)
            negated = node.negated

            def within(record: Record) -> bool:
                value = norm(get(record))
                hit = has_null if value is None else value in targets
                return hit != negated

            return within
        if isinstance(node, SemiJoinNode):
            return self.semi_join(resolved, get, node)
        # LikeNode
        if resolved.ftype not in ("string", "id", "reference"):
            raise SoqlError("INVALID_QUERY_FILTER_OPERATOR", _at(
                self.query, node.path.pos,
                f"invalid operator on {_SF_TYPE_NAMES[resolved.ftype]} field: LIKE",
            ))
        regex = re.compile(node.value.like or "", re.IGNORECASE | re.DOTALL)
        return lambda record: (value := get(record)) is not None and bool(
            regex.fullmatch(str(value))
        )

    def compare(
        self, resolved: _Field, get: Getter, norm: Callable[[Any], Any], node: CompareNode
    ) -> Predicate:
        op = node.op
        target = self.literal(resolved, node.value)
        if target is None:
            if op == "=":
                return lambda record: get(record) is None
            if op == "!=":
                return lambda record: get(record) is not None
            return lambda record: False
        if node.value.kind == "range":
            low, high = target
            in_range: dict[str, Callable[[Any], bool]] = {
                "=": lambda v: low <= v < high,
                "!=": lambda v: not low <= v < high,
                "<": lambda v: v < low,
                "<=": lambda v: v < high,
                ">": lambda v: v >= high,
                ">=": lambda v: v >= low,
            }
            test = in_range[op]
            if op == "!=":
                return lambda record: (value := get(record)) is None or test(value)
            return lambda record: (value := get(record)) is not None and test(value)
        tests: dict[str, Callable[[Any, Any], bool]] = {
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        test2 = tests[op]
        if op == "!=":
            return lambda record: (value := norm(get(record))) is None or test2(value, target)
        return lambda record: (value := norm(get(record))) is not None and test2(value, target)

    def semi_join(self, resolved: _Field, get: Getter, node: SemiJoinNode) -> Predicate:
        inner = node.query
        if resolved.ftype not in ("id", "reference"):
            raise _malformed(
                self.query, node.path.pos,
                f"Semi join sub-selects are only allowed on Id or reference fields, not "
                f"'{resolved.written}'",
            )
        if (
            len(inner.items) != 1 or not isinstance(inner.items[0], FieldNode)
            or inner.group_by or inner.order_by
        ):
            raise _malformed(self.query, inner.sobject_pos,
                             "a semi join sub-select must select one Id or reference field")
        sobject = self.sobject(inner.sobject, inner.sobject_pos)
        selected = self.resolve(sobject, inner.items[0].path)
        if selected.ftype not in ("id", "reference"):
            raise _malformed(self.query, inner.items[0].path.pos,
                             "a semi join sub-select must select one Id or reference field")
        select_get = self.getter(selected)
        where = self.condition(sobject, inner.where) if inner.where else None
        values = {
            value for record in self.org.records(sobject)
            if (where is None or where(record)) and (value := select_get(record)) is not None
        }
        negated = node.negated
        return lambda record: (get(record) in values) != negated

    # -- select -----------------------------------------------------------------------------

    def run(self, select: SelectNode) -> QueryResult:
        sobject = self.sobject(select.sobject, select.sobject_pos)
        where = self.condition(sobject, select.where) if select.where else None
        aggregates = [item for item in select.items if isinstance(item, AggregateNode)]
        if select.group_by or aggregates:
            return self.run_aggregate(select, sobject, where)
        render = self.renderer(sobject, select.items)
        order = [self.order_spec(sobject, item) for item in select.order_by]
        rows = [r for r in self.org.records(sobject) if where is None or where(r)]
        if order:
            _sort(rows, order)
        rows = self.window(rows, select)
        return _RowsResult(sobject, rows, render)

    @staticmethod
    def window(rows: list[Any], select: SelectNode) -> list[Any]:
        start = select.offset or 0
        end = None if select.limit is None else start + select.limit
        return rows[start:end]

    def order_spec(
        self, sobject: str, item: OrderNode
    ) -> tuple[Callable[[Any], Any], bool, bool]:
        if isinstance(item.expr, AggregateNode):
            raise _malformed(self.query, item.expr.pos,
                             "Ordering by an aggregate needs a GROUP BY query")
        return self.getter(self.resolve(sobject, item.expr)), item.descending, item.nulls_last

    def renderer(
        self, sobject: str, items: Sequence[SelectItem]
    ) -> Callable[[Record, str], Record]:
        placers: list[Placer] = []
        for item in items:
            if isinstance(item, FieldNode):
                if item.alias is not None:
                    raise self.unexpected_alias(item)
                placers.append(self.placer(self.resolve(sobject, item.path)))
            elif isinstance(item, SubqueryNode):
                placers.append(self.child_placer(sobject, item))

        def render(record: Record, version: str) -> Record:
            out: Record = {"attributes": _attributes(sobject, record["Id"], version)}
            for place in placers:
                place(out, record, version)
            return out

        return render

    def unexpected_alias(self, item: FieldNode) -> SoqlError:
        return _malformed(
            self.query, item.path.pos + len(item.path.text) + 1,
            f"unexpected token: {item.alias}",
        )

    def placer(self, resolved: _Field) -> Placer:
        org = self.org
        steps = resolved.steps
        name = resolved.name
        type_of_name_entity = bool(steps) and name == "Type" and steps[-1].polymorphic

        def place(out: Record, record: Record, version: str) -> None:
            target = out
            current = record
            sobject = ""
            for step in steps:
                if step.name in target and target[step.name] is None:
                    return
                found = org.lookup(step, current.get(step.field))
                if found is None:
                    target[step.name] = None
                    return
                sobject, current = found
                if step.name not in target:
                    target[step.name] = {"attributes": _attributes(sobject, current["Id"], version)}
                target = target[step.name]
            target[name] = sobject if type_of_name_entity else _json_value(current.get(name))

        return place

    def child_placer(self, sobject: str, item: SubqueryNode) -> Placer:
        query = item.query
        relationship = CHILD_RELATIONSHIPS[sobject].get(query.sobject.lower())
        if relationship is None or relationship.field not in self.org.fields(relationship.child):
            raise SoqlError("INVALID_TYPE", _at(
                self.query, query.sobject_pos,
                f"Didn't understand relationship '{query.sobject}' in FROM part of query call. "
                + _NO_RELATIONSHIP_HINT,
            ))
        child = relationship.child
        for child_item in query.items:
            if isinstance(child_item, AggregateNode):
                raise _malformed(self.query, child_item.pos,
                                 "Aggregate functions are not allowed in a child subquery")
        render = self.renderer(child, query.items)
        where = self.condition(child, query.where) if query.where else None
        order = [self.order_spec(child, order_item) for order_item in query.order_by]
        org = self.org

        def place(out: Record, record: Record, version: str) -> None:
            children = org.children(child, relationship.field, record["Id"])
            rows = [r for r in children if where is None or where(r)]
            if order:
                _sort(rows, order)
            rows = self.window(rows, query)
            out[relationship.name] = (
                {"totalSize": len(rows), "done": True,
                 "records": [render(r, version) for r in rows]}
                if rows else None
            )

        return place

    # -- aggregates -------------------------------------------------------------------------

    def run_aggregate(
        self, select: SelectNode, sobject: str, where: Predicate | None
    ) -> QueryResult:
        items = select.items
        count_only = [i for i in items if isinstance(i, AggregateNode) and i.arg is None]
        if count_only:
            if len(items) != 1 or select.group_by:
                raise _malformed(self.query, count_only[0].pos,
                                 "COUNT() must be the only element in the SELECT list")
            matching = sum(1 for r in self.org.records(sobject) if where is None or where(r))
            return _CountResult(len(self.window(list(range(matching)), select)))
        groups = [self.resolve(sobject, path) for path in select.group_by]
        group_keys = [g.key for g in groups]
        columns: list[tuple[str, Callable[[_Group], Any]]] = []
        unaliased = 0
        for item in items:
            if isinstance(item, SubqueryNode):
                raise _malformed(self.query, item.pos,
                                 "Child subqueries are not allowed in an aggregate query")
            if isinstance(item, FieldNode):
                resolved = self.resolve(sobject, item.path)
                if resolved.key not in group_keys:
                    raise _malformed(self.query, item.path.pos,
                                     f"Field must be grouped or aggregated: {item.path.text}")
                index = group_keys.index(resolved.key)
                columns.append((item.alias or resolved.name, _group_value(index, as_json=True)))
                continue
            if item.alias is None:
                name = f"expr{unaliased}"
                unaliased += 1
            else:
                name = item.alias
            columns.append((name, _group_aggregate(self.aggregate(sobject, item))))
        names = [name.lower() for name, _ in columns]
        if len(set(names)) != len(names):
            raise _malformed(self.query, select.sobject_pos, "duplicate alias in the SELECT list")

        getters = [self.getter(g) for g in groups]
        buckets: dict[tuple[Any, ...], list[Record]] = {}
        if not groups:
            buckets[()] = []
        for record in self.org.records(sobject):
            if where is None or where(record):
                buckets.setdefault(tuple(get(record) for get in getters), []).append(record)
        results: list[_Group] = list(buckets.items())
        order: list[tuple[Callable[[Any], Any], bool, bool]] = []
        for order_item in select.order_by:
            if isinstance(order_item.expr, AggregateNode):
                compute = _group_aggregate(self.aggregate(sobject, order_item.expr))
                order.append((compute, order_item.descending, order_item.nulls_last))
                continue
            resolved = self.resolve(sobject, order_item.expr)
            if resolved.key not in group_keys:
                raise _malformed(self.query, order_item.expr.pos,
                                 f"Ordered field must be grouped or aggregated: "
                                 f"{order_item.expr.text}")
            index = group_keys.index(resolved.key)
            order.append((_group_value(index), order_item.descending, order_item.nulls_last))
        if order:
            _sort(results, order)
        results = self.window(results, select)
        if len(results) > AGGREGATE_ROW_LIMIT:
            raise _malformed(
                self.query, 0,
                f"Aggregate query result exceeds {AGGREGATE_ROW_LIMIT:,} rows "
                f"({len(results):,} groups). Aggregate (GROUP BY) results cannot be paged with a "
                "query locator, so narrow the WHERE clause or add a LIMIT.",
            )
        rows: list[Record] = []
        for group in results:
            row: Record = {"attributes": {"type": "AggregateResult"}}
            for name, column in columns:
                row[name] = column(group)
            rows.append(row)
        return _AggregateResult(rows)

    def aggregate(
        self, sobject: str, node: AggregateNode
    ) -> Callable[[list[Record]], Any]:
        assert node.arg is not None
        resolved = self.resolve(sobject, node.arg)
        get = self.getter(resolved)
        func = node.func
        if func in ("SUM", "AVG") and resolved.ftype not in ("int", "double"):
            raise _malformed(
                self.query, node.arg.pos,
                f"field {node.arg.text} does not support aggregate operator {func}",
            )

        def compute(members: list[Record]) -> Any:
            values = [v for v in (get(m) for m in members) if v is not None]
            if func == "COUNT":
                return len(values)
            if func == "COUNT_DISTINCT":
                return len({_sort_value(v) for v in values})
            if not values:
                return None
            if func == "SUM":
                total = sum(values)
                return float(total) if resolved.ftype == "double" else total
            if func == "AVG":
                return float(sum(values)) / len(values)
            chosen = (min if func == "MIN" else max)(values, key=_sort_value)
            return _json_value(chosen)

        return compute


def execute_soql(org: Org, query: str, *, today: date | None = None) -> QueryResult:
    """Run ``query`` against ``org`` (SoqlError if Salesforce would refuse it)."""
    today = today or _utc_today()
    select = _Parser(query, today).parse()
    return _Executor(org, query, today).run(select)


# ---------------------------------------------------------------------------------------------
# Request log and failure injection
# ---------------------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One request the stand-in received (``kind``: query, more, data, login, token, other,
    uri_too_long); ``status`` is filled in once answered (None when dropped)."""

    method: str
    path: str
    params: dict[str, str]
    kind: str
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None

    @property
    def q(self) -> str | None:
        return self.params.get("q")


class RequestLog:
    """A thread-safe list of :class:`RecordedRequest`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def append(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __getitem__(self, index: int) -> RecordedRequest:
        with self._lock:
            return self._items[index]

    def __repr__(self) -> str:
        return f"RequestLog({self.snapshot()!r})"


@dataclass
class _Injection:
    action: Literal["fail", "drop", "stall"]
    kind: FailureKind
    times: int
    after: int
    status: int = 0
    body: Any = None
    seconds: float = 0.0
    skipped: int = 0

    def matches(self, request_kind: str) -> bool:
        if self.kind == "any":
            return request_kind in ("query", "more")
        if self.kind == "login":
            return request_kind in ("login", "token")
        return self.kind == request_kind


@dataclass
class _Cursor:
    result: _RowsResult


# ---------------------------------------------------------------------------------------------
# HTTPS server
# ---------------------------------------------------------------------------------------------

_DATA_PATH = re.compile(r"^/services/data/v(?P<version>\d+\.\d+)(?P<rest>/.*)?$")
_QUERY_PATH = re.compile(r"^/(?:query|queryAll)/?$")
_MORE_PATH = re.compile(r"^/(?:query|queryAll)/(?P<locator>[^/]+)$")
_LOCATOR = re.compile(r"^(?P<cursor>01gSTANDIN\d+)-(?P<offset>\d+)$")
_SOAP_PATH = re.compile(r"^/services/Soap/u/(?P<version>\d+\.\d+)/?$")


def _classify(path: str) -> str:
    data = _DATA_PATH.match(path)
    if data:
        rest = data.group("rest") or ""
        if _QUERY_PATH.match(rest):
            return "query"
        if _MORE_PATH.match(rest):
            return "more"
        return "data"
    if _SOAP_PATH.match(path):
        return "login"
    if path.rstrip("/") == "/services/oauth2/token":
        return "token"
    return "other"


class _ConnectionTracker:
    """Open sockets of a server, so that closing the server can unblock their threads."""

    def __init__(self) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, sock: socket.socket) -> None:
        with self._open_lock:
            self._open.add(sock)

    def untrack(self, sock: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(sock)

    def abort_all(self) -> None:
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def __init__(self, standin: StandIn, context: ssl.SSLContext) -> None:
        self.standin = standin
        self.context = context
        self.tracker = _ConnectionTracker()
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # no reverse DNS lookup (HTTPServer does one)
        self.server_name = "127.0.0.1"
        self.server_port = self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        self.tracker.track(request)
        super().process_request(request, client_address)

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(_HANDSHAKE_TIMEOUT)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (OSError, ValueError):
            return
        self.tracker.track(tls)
        try:
            with contextlib.suppress(OSError):
                tls.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if not self.standin.closing.is_set():
                _Handler(tls, client_address, self)
        finally:
            self.tracker.untrack(tls)
            with contextlib.suppress(OSError):
                tls.close()

    def shutdown_request(self, request: Any) -> None:
        self.tracker.untrack(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return  # the client went away: normal for drops, stalls and timeouts
        self.standin.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    server: _TLSServer
    protocol_version = "HTTP/1.1"
    server_version = "SalesforceStandIn/1.0"
    sys_version = ""
    timeout = _IDLE_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        return

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    # -- request framing --------------------------------------------------------------------

    def handle_one_request(self) -> None:
        try:
            line = self.rfile.readline(_MAX_REQUEST_LINE + 1)
        except OSError:
            self.close_connection = True
            return
        if not line:
            self.close_connection = True
            return
        parts = line.split(b" ")
        uri_length = len(parts[1].strip()) if len(parts) > 1 else 0
        try:
            if len(line) > _MAX_REQUEST_LINE or uri_length > self.server.standin.max_uri:
                self.uri_too_long(line)
                return
            self.raw_requestline = line
            if not self.parse_request():
                return
            self.dispatch()
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def uri_too_long(self, line: bytes) -> None:
        # Read the rest of the request so the client sees the answer, not a reset.
        tail = line
        while tail and not tail.endswith(b"\n"):
            tail = self.rfile.readline(65536)
        for _ in range(200):
            header = self.rfile.readline(65536)
            if header in (b"", b"\r\n", b"\n"):
                break
        parts = line.decode("latin-1").split(" ")
        self.command = parts[0]
        self.request_version = "HTTP/1.1"
        self.requestline = ""
        self.close_connection = True
        record = RecordedRequest(
            parts[0], parts[1][:200] if len(parts) > 1 else "", {}, "uri_too_long"
        )
        self.server.standin.requests.append(record)
        self.send(record, 414, URI_TOO_LONG_HTML.encode(), "text/html; charset=iso-8859-1")

    # -- responses --------------------------------------------------------------------------

    def send(
        self, record: RecordedRequest, status: int, body: bytes, content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        record.status = status
        reason = self.responses.get(status, ("Unknown",))[0]
        lines = [
            f"HTTP/1.1 {status} {reason}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        # One write for head and body: two small writes would meet delayed ACKs (40 ms each).
        self.wfile.write(head if self.command == "HEAD" else head + body)

    def send_json(self, record: RecordedRequest, status: int, payload: Any) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {}
        if record.kind in ("query", "more", "data"):
            used = self.server.standin.request_count
            headers["Sforce-Limit-Info"] = f"api-usage={used}/{API_DAILY_LIMIT}"
        self.send(record, status, body, "application/json;charset=UTF-8", headers)

    def send_payload(self, record: RecordedRequest, status: int, body: Any) -> None:
        if isinstance(body, bytes):
            self.send(record, status, body, "text/html;charset=UTF-8")
        elif isinstance(body, str):
            self.send(record, status, body.encode(), "text/html;charset=UTF-8")
        else:
            self.send_json(record, status, body)

    def drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self.connection, socket.SHUT_RDWR)

    # -- routing ----------------------------------------------------------------------------

    def dispatch(self) -> None:
        standin = self.server.standin
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        params = {
            name: values[-1]
            for name, values in urllib.parse.parse_qs(split.query, keep_blank_values=True).items()
        }
        kind = _classify(path)
        record = RecordedRequest(self.command, path, params, kind, dict(self.headers.items()))
        standin.requests.append(record)

        injection = standin._take_injection(kind)
        if injection is not None:
            if injection.action == "drop":
                self.drop()
                return
            if injection.action == "stall":
                if standin.closing.wait(injection.seconds):
                    self.drop()
                    return
            else:
                self.send_payload(record, injection.status, injection.body)
                return

        try:
            if kind in ("query", "more", "data"):
                self.data_api(record, path, params)
            elif kind == "login":
                self.soap_login(record, path, body)
            elif kind == "token":
                self.oauth_token(record, body)
            else:
                self.send(record, 404, b"<html><body>Not Found</body></html>", "text/html")
        except OSError:
            raise
        except Exception as error:  # a stand-in bug: answer like Salesforce, keep the trace
            standin.errors.append(traceback.format_exc())
            self.send_json(record, 500, [{
                "message": f"An unexpected error occurred in the stand-in: {error!r}",
                "errorCode": "UNKNOWN_EXCEPTION",
            }])

    def data_api(self, record: RecordedRequest, path: str, params: dict[str, str]) -> None:
        standin = self.server.standin
        if self.headers.get("Authorization") != f"Bearer {standin.token}":
            self.send_json(record, 401, INVALID_SESSION_BODY)
            return
        match = _DATA_PATH.match(path)
        assert match is not None
        version = match.group("version")
        if record.kind == "data":
            self.send_json(record, 404, [{
                "errorCode": "NOT_FOUND", "message": "The requested resource does not exist",
            }])
            return
        if self.command not in ("GET", "HEAD"):
            self.send_json(record, 405, [{
                "errorCode": "METHOD_NOT_ALLOWED",
                "message": f"HTTP Method '{self.command}' not allowed. Allowed are GET,HEAD",
            }])
            return
        try:
            if record.kind == "query":
                soql = params.get("q")
                if soql is None:
                    raise SoqlError("MALFORMED_QUERY", "A query string has to be specified")
                payload = standin._run_query(version, soql)
            else:
                more = _MORE_PATH.match(match.group("rest") or "")
                assert more is not None
                payload = standin._query_more(version, more.group("locator"))
        except SoqlError as error:
            self.send_json(record, error.status, error.body())
            return
        self.send_json(record, 200, payload)

    def soap_login(self, record: RecordedRequest, path: str, body: bytes) -> None:
        standin = self.server.standin
        match = _SOAP_PATH.match(path)
        assert match is not None
        version = match.group("version")
        username = password = None
        try:
            for element in ET.fromstring(body).iter():
                local = element.tag.rsplit("}", 1)[-1]
                if local == "username":
                    username = element.text or ""
                elif local == "password":
                    password = element.text or ""
        except ET.ParseError:
            self.send(record, 500, _soap_fault("UNKNOWN_EXCEPTION",
                                               "UNKNOWN_EXCEPTION: Premature end of file."),
                      "text/xml; charset=utf-8")
            return
        creds = standin.org.users_credentials
        if self.command != "POST" or (
            username != creds.username or password != creds.password + creds.security_token
        ):
            self.send(record, 500, _soap_fault("INVALID_LOGIN", _INVALID_LOGIN),
                      "text/xml; charset=utf-8")
            return
        self.send(record, 200, _soap_login_response(standin, version, creds),
                  "text/xml; charset=utf-8")

    def oauth_token(self, record: RecordedRequest, body: bytes) -> None:
        standin = self.server.standin
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode("utf-8")).items()}
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            self.send_json(record, 400, {
                "error": "unsupported_grant_type", "error_description": "grant type not supported",
            })
            return
        creds = standin.org.users_credentials
        try:
            if creds.jwt_public_key is None:
                raise jwt.InvalidTokenError("no public key configured")
            claims = jwt.decode(
                form.get("assertion", ""),
                creds.jwt_public_key,
                algorithms=["RS256"],
                audience=[
                    "https://login.salesforce.com", "https://test.salesforce.com", standin.url,
                ],
                options={"require": ["exp", "iss", "sub", "aud"]},
            )
        except jwt.InvalidTokenError:
            claims = {}
        if claims.get("iss") != creds.consumer_key or claims.get("sub") != creds.username:
            self.send_json(record, 400, {
                "error": "invalid_grant", "error_description": "invalid assertion",
            })
            return
        self.send_json(record, 200, {
            "access_token": standin.token,
            "instance_url": standin.url,
            "id": f"https://login.salesforce.com/id/{ORG_ID}/{LOGIN_USER_ID}",
            "token_type": "Bearer",
            "scope": "api",
        })


def _soap_fault(code: str, message: str) -> bytes:
    message = xml_escape(message)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:sf="urn:fault.partner.soap.sforce.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body><soapenv:Fault>"
        f"<faultcode>sf:{code}</faultcode><faultstring>{message}</faultstring>"
        '<detail><sf:LoginFault xsi:type="sf:LoginFault">'
        f"<sf:exceptionCode>{code}</sf:exceptionCode>"
        f"<sf:exceptionMessage>{message}</sf:exceptionMessage>"
        "</sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    ).encode()


def _soap_login_response(standin: StandIn, version: str, creds: Credentials) -> bytes:
    base = standin.url
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns="urn:partner.soap.sforce.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body><loginResponse><result>"
        f"<metadataServerUrl>{base}/services/Soap/m/{version}/{ORG_ID}</metadataServerUrl>"
        "<passwordExpired>false</passwordExpired><sandbox>false</sandbox>"
        f"<serverUrl>{base}/services/Soap/u/{version}/{ORG_ID}</serverUrl>"
        f"<sessionId>{xml_escape(standin.token)}</sessionId>"
        f"<userId>{LOGIN_USER_ID}</userId>"
        "<userInfo>"
        f"<organizationId>{ORG_ID}</organizationId>"
        "<organizationName>Stand-in Org</organizationName>"
        f"<userEmail>{xml_escape(creds.username)}</userEmail>"
        "<userFullName>Stand-in Integration</userFullName>"
        f"<userId>{LOGIN_USER_ID}</userId>"
        f"<userName>{xml_escape(creds.username)}</userName>"
        "</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>"
    ).encode()


# ---------------------------------------------------------------------------------------------
# CONNECT proxy
# ---------------------------------------------------------------------------------------------


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = False
    block_on_close = True

    def __init__(self, target_port: int, closing: threading.Event) -> None:
        self.target_port = target_port
        self.closing = closing
        self.tracker = _ConnectionTracker()
        self.log: list[str] = []
        self.log_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.tracker.track(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.tracker.untrack(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a tunnel's peer went away


_NOT_CONNECT = b"This proxy only tunnels CONNECT requests, and only to the Salesforce stand-in.\n"


class _ProxyHandler(socketserver.BaseRequestHandler):
    server: _ProxyServer

    def handle(self) -> None:
        client: socket.socket = self.request
        client.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head:
            if len(head) > 65536:
                return
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        parts = head.split(b"\r\n", 1)[0].decode("latin-1").split()
        method = parts[0].upper() if parts else ""
        with self.server.log_lock:
            self.server.log.append(" ".join(parts[:2]))
        if method != "CONNECT" or len(parts) != 3:
            client.sendall(
                b"HTTP/1.1 405 Method Not Allowed\r\nAllow: CONNECT\r\n"
                b"Content-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % len(_NOT_CONNECT) + _NOT_CONNECT
            )
            return
        # Whatever host was asked for, the tunnel goes to the stand-in and nowhere else.
        upstream = socket.create_connection(("127.0.0.1", self.server.target_port), timeout=10)
        self.server.tracker.track(upstream)
        try:
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            self.relay(client, upstream)
        finally:
            self.server.tracker.untrack(upstream)
            upstream.close()

    def relay(self, client: socket.socket, upstream: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, client)
            while not self.server.closing.is_set():
                for key, _ in selector.select(timeout=0.2):
                    source = cast(socket.socket, key.fileobj)
                    try:
                        data = source.recv(65536)
                        if not data:
                            return
                        key.data.sendall(data)
                    except OSError:
                        return


# ---------------------------------------------------------------------------------------------
# The stand-in
# ---------------------------------------------------------------------------------------------


class StandIn:
    """A Salesforce stand-in on ``https://127.0.0.1:<port>``; use it as a context manager."""

    def __init__(
        self, org: Org, *, token: str = DEFAULT_TOKEN, page_size: int = 2000,
        max_uri: int = 16384,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.org = org
        self.token = token
        self.page_size = page_size
        self.max_uri = max_uri
        self.requests = RequestLog()
        self.errors: list[str] = []  # tracebacks of stand-in bugs (answered 500)
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._injections: list[_Injection] = []
        self._cursors: OrderedDict[str, _Cursor] = OrderedDict()
        self._cursor_ids = itertools.count(1)
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        self._server: _TLSServer | None = None
        self._proxy: _ProxyServer | None = None
        self._threads: list[threading.Thread] = []
        self._ca_file = ""

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> StandIn:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the stand-in is already running")
        self.closing.clear()
        ca = trustme.CA(organization_name="Salesforce stand-in test CA")
        cert = ca.issue_cert(
            "127.0.0.1", "localhost", "login.salesforce.com", "test.salesforce.com",
            "*.my.salesforce.com",
        )
        self._tempdir = tempfile.TemporaryDirectory(prefix="salesforce-standin-")
        ca_path = Path(self._tempdir.name) / "standin-ca.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        self._ca_file = str(ca_path)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        self._server = _TLSServer(self, context)
        self._proxy = _ProxyServer(self._server.server_port, self.closing)
        for name, server in (("https", self._server), ("proxy", self._proxy)):
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05},
                name=f"salesforce-standin-{name}", daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def close(self) -> None:
        self.closing.set()
        servers: list[_TLSServer | _ProxyServer] = [
            s for s in (self._proxy, self._server) if s is not None
        ]
        for server in servers:
            server.shutdown()
        for server in servers:
            server.tracker.abort_all()
        for server in servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()
        self._server = self._proxy = None
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    # -- where ------------------------------------------------------------------------------

    def _running(self) -> _TLSServer:
        if self._server is None:
            raise RuntimeError("the stand-in is not running: use it as a context manager")
        return self._server

    @property
    def port(self) -> int:
        return self._running().server_port

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> str:
        self._running()
        return self._ca_file

    @property
    def proxy_url(self) -> str:
        self._running()
        assert self._proxy is not None
        return f"http://127.0.0.1:{self._proxy.server_address[1]}"

    @property
    def proxy_log(self) -> list[str]:
        """What the proxy was asked, e.g. ``"CONNECT login.salesforce.com:443"``."""
        if self._proxy is None:
            return []
        with self._proxy.log_lock:
            return list(self._proxy.log)

    @property
    def request_count(self) -> int:
        """API calls received: query and query-more requests (not logins)."""
        return sum(1 for r in self.requests if r.kind in ("query", "more"))

    # -- failure injection ------------------------------------------------------------------

    def _add(self, injection: _Injection) -> None:
        if injection.times < 1 or injection.after < 0:
            raise ValueError("times must be at least 1 and after at least 0")
        if injection.kind not in ("any", "query", "more", "login"):
            raise ValueError(f"unknown kind {injection.kind!r}")
        with self._lock:
            self._injections.append(injection)

    def fail(
        self, status: int, body: Any, *, times: int = 1, after: int = 0,
        kind: FailureKind = "any",
    ) -> None:
        """Answer the next ``times`` matching requests (after skipping ``after``) with
        ``status`` and ``body`` (JSON for Python objects, text/html for a str)."""
        self._add(_Injection("fail", kind, times, after, status=status, body=body))

    def drop(self, *, times: int = 1, after: int = 0, kind: FailureKind = "any") -> None:
        """Close the connection of the next matching requests without any response."""
        self._add(_Injection("drop", kind, times, after))

    def stall(
        self, seconds: float, *, times: int = 1, after: int = 0, kind: FailureKind = "any"
    ) -> None:
        """Wait ``seconds`` before answering the next matching requests (ends at shutdown)."""
        self._add(_Injection("stall", kind, times, after, seconds=seconds))

    def fail_invalid_session(
        self, *, times: int = 1, after: int = 0, kind: FailureKind = "any"
    ) -> None:
        self.fail(401, INVALID_SESSION_BODY, times=times, after=after, kind=kind)

    def fail_request_limit(
        self, *, times: int = 1, after: int = 0, kind: FailureKind = "any"
    ) -> None:
        self.fail(403, REQUEST_LIMIT_BODY, times=times, after=after, kind=kind)

    def fail_server_unavailable(
        self, *, times: int = 1, after: int = 0, kind: FailureKind = "any"
    ) -> None:
        self.fail(503, SERVER_UNAVAILABLE_BODY, times=times, after=after, kind=kind)

    def fail_maintenance(
        self, *, times: int = 1, after: int = 0, kind: FailureKind = "any"
    ) -> None:
        self.fail(503, MAINTENANCE_HTML, times=times, after=after, kind=kind)

    def clear_failures(self) -> None:
        with self._lock:
            self._injections.clear()

    def _take_injection(self, request_kind: str) -> _Injection | None:
        with self._lock:
            chosen = None
            for injection in self._injections:
                if not injection.matches(request_kind):
                    continue
                if injection.skipped < injection.after:
                    injection.skipped += 1
                elif chosen is None:
                    injection.times -= 1
                    chosen = injection
            self._injections = [i for i in self._injections if i.times > 0]
            return chosen

    # -- queries ----------------------------------------------------------------------------

    def _run_query(self, version: str, soql: str) -> Record:
        result = execute_soql(self.org, soql)
        if isinstance(result, _CountResult):
            return {"totalSize": result.count, "done": True, "records": []}
        if isinstance(result, _AggregateResult):
            return {"totalSize": len(result.rows), "done": True, "records": result.rows}
        total = len(result.rows)
        page = [result.render(r, version) for r in result.rows[: self.page_size]]
        if total <= self.page_size:
            return {"totalSize": total, "done": True, "records": page}
        with self._lock:
            cursor_id = f"01gSTANDIN{next(self._cursor_ids)}"
            self._cursors[cursor_id] = _Cursor(result)
            while len(self._cursors) > _MAX_CURSORS:
                self._cursors.popitem(last=False)
        return {
            "totalSize": total,
            "done": False,
            "nextRecordsUrl": f"/services/data/v{version}/query/{cursor_id}-{self.page_size}",
            "records": page,
        }

    def _query_more(self, version: str, locator: str) -> Record:
        match = _LOCATOR.match(locator)
        with self._lock:
            cursor = self._cursors.get(match.group("cursor")) if match else None
        offset = int(match.group("offset")) if match else 0
        if cursor is None or offset >= len(cursor.result.rows):
            raise SoqlError("INVALID_QUERY_LOCATOR", "invalid query locator")
        result = cursor.result
        total = len(result.rows)
        end = offset + self.page_size
        payload: Record = {
            "totalSize": total,
            "done": end >= total,
            "records": [result.render(r, version) for r in result.rows[offset:end]],
        }
        if end < total:
            cursor_id = match.group("cursor") if match else ""
            payload["nextRecordsUrl"] = f"/services/data/v{version}/query/{cursor_id}-{end}"
        return payload


# ---------------------------------------------------------------------------------------------
# Keys and generated data
# ---------------------------------------------------------------------------------------------


def make_rsa_key_pair(private_key_path: str | os.PathLike[str]) -> bytes:
    """Write a new RSA private key (PEM) to ``private_key_path``; return the public key PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    Path(private_key_path).write_bytes(key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


_FIRST = ["Dana", "Chris", "Priya", "Lars", "Mei", "Omar", "Sofia", "Jonas", "Amara", "Kenji",
          "Elena", "Tomas", "Ngozi", "Hugo", "Ines", "Raj", "Aisha", "Mateo", "Yuki", "Noah",
          "Freya", "Diego", "Leila", "Arjun", "Hana", "Felix", "Zara", "Ivan"]
_LAST = ["Whitfield", "Ortega", "Raman", "Nilsson", "Zhang", "Haddad", "Rossi", "Becker",
         "Okafor", "Sato", "Petrova", "Alves", "Eze", "Laurent", "Costa", "Mehta", "Novak",
         "Kowalski", "Fischer", "Moreau", "Tanaka", "Silva", "Jensen", "Murphy"]
_TITLES = ["Chief Financial Officer", "VP Operations", "Director, IT", "Head of Procurement",
           "CIO", "Logistics Manager", "Enterprise Architect", "COO", "CEO", "Buyer",
           "Analyst", "VP Sales", "Controller", None]
_DEPARTMENTS = ["Finance", "Operations", "IT", "Procurement", "Executive", "Logistics", None]
_USER_TITLES = ["Account Executive", "Senior Account Executive", "Sales Engineer",
                "Customer Success Manager", "Regional Sales Director", "Sales Manager"]
_NAME_A = ["Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Stark",
           "Wayne", "Tyrell", "Acme", "Cyberdyne", "Soylent", "Vandelay", "Hooli", "Massive",
           "Aperture", "Wonka", "Gringotts", "Oscorp", "Blue Sun"]
_NAME_B = ["Logistics", "Holdings", "Manufacturing", "Retail", "Energy", "Foods", "Pharma",
           "Systems", "Freight", "Labs", "Bank", "Telecom", "Motors", "Health"]
_INDUSTRIES = ["Manufacturing", "Transportation", "Retail", "Energy", "Healthcare",
               "Financial Services", "Technology", "Food & Beverage", None]
_COUNTRIES = ["Germany", "United States", "United Kingdom", "France", "Sweden", "Netherlands",
              "Spain", "Japan", "Brazil", "Canada"]
_OPEN_STAGES = [("Prospecting", 10.0), ("Qualification", 20.0), ("Needs Analysis", 30.0),
                ("Value Proposition", 50.0), ("Proposal/Price Quote", 70.0),
                ("Negotiation/Review", 90.0)]
_ROLES = ["Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator", "Influencer",
          "Business User", "Executive Sponsor", "Other"]
_PRODUCTS = ["Fleet Tracking", "Route Optimizer", "Analytics", "Yard Manager", "Renewal",
             "Expansion", "Pilot"]


def generate_org(
    accounts: int, contacts: int, opportunities: int, activities: int, *, seed: int = 0,
    today: date | None = None,
) -> tuple[Org, list[str]]:
    """A realistic org around ``accounts`` plan accounts; returns (org, plan account Ids).

    Some plan accounts have a parent and grandparent outside the plan accounts, some have
    child accounts (also outside); contacts and opportunities are spread unevenly;
    opportunities have 0-4 contact roles (some naming another account's contact) and mix
    open, won and lost; Tasks and Events fall over the last 400 days with WhoId mostly set;
    about 40 users own everything.
    """
    rng = random.Random(seed)
    today = today or _utc_today()
    now = datetime.combine(today, time(12), UTC)
    org = Org()

    def stamp(max_days: int) -> datetime:
        return now - timedelta(minutes=rng.randint(0, max_days * 24 * 60))

    users: list[str] = []
    for n in range(40):
        name = f"{_FIRST[n % len(_FIRST)]} {_LAST[(n * 7) % len(_LAST)]}"
        users.append(org.add_user(
            name, email=f"{name.lower().replace(' ', '.')}.{n}@example.com",
            title=rng.choice(_USER_TITLES), is_active=n % 13 != 12,
        ))
    active = [u for u in users if (org.get("User", u) or {}).get("IsActive")]
    owner_weights = list(itertools.accumulate(rng.uniform(0.3, 3.0) for _ in active))

    def owner() -> str:
        return rng.choices(active, cum_weights=owner_weights)[0]

    names = itertools.count(1)

    def owner_of(account_id: str) -> str:
        record = org.get("Account", account_id)
        assert record is not None
        return str(record["OwnerId"])

    def account(parent: str | None, owner_id: str, suffix: str = "") -> str:
        n = next(names)
        name = f"{_NAME_A[n % len(_NAME_A)]} {_NAME_B[(n // len(_NAME_A)) % len(_NAME_B)]}"
        created = stamp(1500)
        return org.add_account(
            f"{name} {n}{suffix}", parent_id=parent, owner_id=owner_id,
            Industry=rng.choice(_INDUSTRIES),
            Type=rng.choice(["Customer - Direct", "Customer - Channel", "Prospect", "Partner"]),
            Website=f"https://www.{name.lower().replace(' ', '')}{n}.example.com",
            BillingCountry=rng.choice(_COUNTRIES),
            AnnualRevenue=float(rng.randrange(1, 5000) * 100_000),
            NumberOfEmployees=rng.randrange(20, 200_000),
            CreatedDate=created, LastModifiedDate=stamp(90), SystemModstamp=stamp(60),
        )

    grandparents = [account(None, owner(), " Group") for _ in range(max(1, accounts // 40))]
    parents = [
        account(rng.choice(grandparents) if rng.random() < 0.6 else None, owner(), " Holdings")
        for _ in range(max(1, accounts // 15))
    ]
    plan: list[str] = []
    for _ in range(accounts):
        parent = rng.choice(parents) if rng.random() < 0.2 else None
        plan.append(account(parent, owner()))
    subsidiaries: list[str] = []
    for plan_id in plan:
        if rng.random() < 0.15:
            owner_id = owner_of(plan_id)
            for _ in range(rng.randint(1, 3)):
                subsidiaries.append(account(plan_id, owner_id, " Subsidiary"))

    # Contacts: uneven over plan accounts, a few on related (non-plan) accounts.
    weights = [rng.paretovariate(1.3) for _ in plan]
    contact_weights = list(itertools.accumulate(weights))
    others = parents + subsidiaries
    contacts_of: dict[str, list[str]] = {}
    all_contacts: list[str] = []
    for n in range(contacts):
        if others and rng.random() < 0.05:
            account_id = rng.choice(others)
        else:
            account_id = rng.choices(plan, cum_weights=contact_weights)[0]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        account_owner = owner_of(account_id)
        contact_id = org.add_contact(
            account_id, first, last, title=rng.choice(_TITLES),
            email=f"{first}.{last}.{n}@customer{n % 97}.example.com".lower()
            if rng.random() < 0.92 else None,
            owner_id=account_owner if rng.random() < 0.8 else owner(),
            Department=rng.choice(_DEPARTMENTS),
            CreatedDate=stamp(1200), LastModifiedDate=stamp(120), SystemModstamp=stamp(90),
        )
        contacts_of.setdefault(account_id, []).append(contact_id)
        all_contacts.append(contact_id)

    # Opportunities with 0-4 contact roles.
    opportunity_weights = list(itertools.accumulate(w ** 0.7 for w in weights))
    opportunities_of: dict[str, list[str]] = {}
    for n in range(opportunities):
        account_id = rng.choices(plan, cum_weights=opportunity_weights)[0]
        roll = rng.random()
        if roll < 0.45:
            stage, probability = rng.choice(_OPEN_STAGES)
            close = today + timedelta(days=rng.randint(-30, 270))
        elif roll < 0.75:
            stage, probability = "Closed Won", 100.0
            close = today - timedelta(days=rng.randint(0, 730))
        else:
            stage, probability = "Closed Lost", 0.0
            close = today - timedelta(days=rng.randint(0, 730))
        account_owner = owner_of(account_id)
        opportunity_id = org.add_opportunity(
            account_id, f"{rng.choice(_PRODUCTS)} {n + 1}",
            amount=float(rng.randrange(5, 2000) * 1000), stage=stage, close_date=close,
            probability=probability,
            owner_id=account_owner if rng.random() < 0.8 else owner(),
            CreatedDate=stamp(900), LastModifiedDate=stamp(60), SystemModstamp=stamp(45),
        )
        opportunities_of.setdefault(account_id, []).append(opportunity_id)
        pool = contacts_of.get(account_id, [])
        count = rng.choices([0, 1, 2, 3, 4], weights=[20, 30, 25, 15, 10])[0]
        chosen: list[str] = []
        for _ in range(count):
            if all_contacts and (not pool or rng.random() < 0.1):
                candidate = rng.choice(all_contacts)  # often another account's contact
            elif pool:
                candidate = rng.choice(pool)
            else:
                continue
            if candidate not in chosen:
                chosen.append(candidate)
        primary = rng.random() < 0.7
        for index, contact_id in enumerate(chosen):
            org.add_contact_role(
                opportunity_id, contact_id, role=rng.choice(_ROLES),
                is_primary=primary and index == 0,
            )

    # Activities over the last 400 days (so some fall outside a 365-day window).
    last_activity: dict[str, date] = {}

    def touch(record_id: str | None, day: date) -> None:
        if record_id is not None and day <= today and last_activity.get(record_id, day) <= day:
            last_activity[record_id] = day

    activity_weights = list(itertools.accumulate(w ** 0.8 for w in weights))
    for _ in range(activities):
        account_id = rng.choices(plan, cum_weights=activity_weights)[0]
        pool = contacts_of.get(account_id, [])
        who = rng.choice(pool) if pool and rng.random() < 0.85 else None
        roll = rng.random()
        what: str | None = account_id
        if roll < 0.35 and opportunities_of.get(account_id):
            what = rng.choice(opportunities_of[account_id])
        elif roll > 0.85:
            what = None
        day = today - timedelta(days=rng.randint(0, 400))
        owner_id = owner()
        if rng.random() < 0.65:
            kind = rng.choice(["Call", "Email", "Meeting", "Other"])
            status = "Completed" if day < today - timedelta(days=7) or rng.random() < 0.6 else (
                rng.choice(["Not Started", "In Progress"])
            )
            org.add_task(
                account_id=account_id, who_id=who, what_id=what, subject=f"{kind}: follow-up",
                activity_date=day, status=status, owner_id=owner_id, Type=kind,
                Priority=rng.choice(["Normal", "Normal", "High"]),
                TaskSubtype="Email" if kind == "Email" else "Call" if kind == "Call" else "Task",
                CreatedDate=datetime.combine(day, time(8), UTC), SystemModstamp=stamp(30),
            )
        else:
            start = datetime.combine(day, time(rng.randint(8, 17), rng.choice([0, 30])), UTC)
            org.add_event(
                account_id=account_id, who_id=who, what_id=what,
                subject=rng.choice(["Quarterly business review", "Demo", "Discovery call",
                                    "Executive briefing", "Workshop"]),
                start=start, minutes=rng.choice([30, 60, 90]), owner_id=owner_id,
                Type=rng.choice(["Meeting", "Call", "Other"]), EventSubtype="Event",
                CreatedDate=start - timedelta(days=rng.randint(1, 20)),
                SystemModstamp=stamp(30),
            )
        for record_id in (account_id, who, what):
            touch(record_id, day)

    with org.lock:
        for sobject in ("Account", "Contact", "Opportunity"):
            for record in org._records[sobject].values():
                record["LastActivityDate"] = last_activity.get(record["Id"])
        org._version += 1
    return org, plan


# ---------------------------------------------------------------------------------------------
# Command line: serve a generated org for a benchmark in another process
# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a generated Salesforce stand-in org.")
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--opportunities", type=int, default=500)
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--max-uri", type=int, default=16384)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args(argv)

    org, account_ids = generate_org(
        args.accounts, args.contacts, args.opportunities, args.activities, seed=args.seed
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with StandIn(org, token=args.token, page_size=args.page_size, max_uri=args.max_uri) as s:
        sys.stdout.write(json.dumps({
            "url": s.url, "ca_file": s.ca_file, "token": s.token, "proxy_url": s.proxy_url,
            "account_ids": account_ids,
        }) + "\n")
        sys.stdout.flush()
        mode = os.fstat(sys.stdin.fileno()).st_mode if sys.stdin else 0
        if sys.stdin and (stat.S_ISFIFO(mode) or sys.stdin.isatty()):

            def watch_stdin() -> None:
                with contextlib.suppress(OSError, ValueError):
                    while os.read(sys.stdin.fileno(), 65536):
                        pass
                stop.set()

            threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
