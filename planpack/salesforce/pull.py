"""`planpack pull`: fetch what Salesforce knows about the plans' accounts, in batches.

For each batch of accounts (as many as one IN list holds) it fetches the
accounts, their parent chain and child accounts, contacts, opportunities with
their contact roles, tasks and events of the last 365 days summarised per
person, and the users who own them; then it writes one snapshot per account.
A failure stops the pull at once: snapshots already written are complete,
every other account keeps its earlier snapshot, and the result says which
accounts were not refreshed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from planpack.atomic import write_atomically
from planpack.discovery import plan_files, shown_path
from planpack.findings import Finding
from planpack.loader.plans import load_plan
from planpack.loader.program import ProgramConfig
from planpack.salesforce import queries
from planpack.salesforce.client import QueryClient, RetryPolicy, SalesforceError, connect
from planpack.salesforce.credentials import from_environment
from planpack.salesforce.snapshot import FORMAT, path_for, snapshot_json
from planpack.salesforce_id import to18

ACTIVITY_DAYS = 365
OBJECTS_PER_ACCOUNT = 6  # what one query per account and object would take


@dataclass
class PullResult:
    plans: dict[str, list[str]] = field(default_factory=dict)  # account Id -> plan files
    refreshed: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    not_refreshed: list[str] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)  # plans that could not be read
    unlinked: list[str] = field(default_factory=list)  # plans with no account Id
    counts: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    error: SalesforceError | None = None
    snapshot_dir: Path | None = None

    @property
    def failed(self) -> bool:
        return bool(self.error or self.not_found or self.invalid)


def pull(
    paths: list[Path] | None,
    config: ProgramConfig,
    *,
    env: Mapping[str, str] | None = None,
    policy: RetryPolicy | None = None,
    now: datetime | None = None,
) -> PullResult:
    """Pull every account the plans under `paths` name; see the module docstring."""
    result = PullResult(snapshot_dir=config.path(config.program.salesforce.snapshot_dir))
    _gather(paths or [shown_path(config.path(config.program.plans_dir))], result)
    credentials = from_environment(env)  # before any work: exit 2 when missing
    if not result.plans:
        return result
    client = connect(credentials, config.program.salesforce.api_version, policy)
    now = now or datetime.now(UTC)
    window = (now.date() - timedelta(days=ACTIVITY_DAYS), now.date())
    pending = sorted(result.plans)
    try:
        for batch in queries.batches(pending):
            documents = fetch(client, batch, window, now, config.program.salesforce.api_version,
                              result.counts)
            for account_id in batch:
                document = documents.get(account_id)
                if document is None:
                    result.not_found.append(account_id)
                    continue
                assert result.snapshot_dir is not None
                write_atomically(path_for(result.snapshot_dir, account_id),
                                 snapshot_json(document))
                result.refreshed.append(account_id)
    except SalesforceError as error:
        result.error = error
        done = set(result.refreshed) | set(result.not_found)
        result.not_refreshed = [a for a in pending if a not in done]
    finally:
        result.requests = client.requests
    return result


def _gather(paths: list[Path], result: PullResult) -> None:
    for path in plan_files(paths):
        loaded = load_plan(path, str(path))
        if loaded.plan is None:
            result.invalid += [f for f in loaded.findings if f.severity.value == "error"]
            continue
        account_id = loaded.plan.account.salesforce_id
        if account_id is None:
            result.unlinked.append(str(path))
            continue
        result.plans.setdefault(to18(account_id), []).append(str(path))


def fetch(
    client: QueryClient,
    ids: list[str],
    window: tuple[date, date],
    now: datetime,
    api_version: str,
    counts: Counter[str],
) -> dict[str, dict[str, Any]]:
    """Snapshot documents for a batch of accounts (those Salesforce has)."""
    accounts = {r["Id"]: r for r in client.records(queries.accounts(ids))}
    known = dict(accounts)
    for _ in range(10):  # parent chains: one query per level, not per account
        wanted = sorted({r["ParentId"] for r in known.values() if r.get("ParentId")} - set(known))
        if not wanted:
            break
        for batch in queries.batches(wanted):
            known.update((r["Id"], r) for r in client.records(queries.accounts(batch)))
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for child in client.records(queries.child_accounts(ids)):
        children[child["ParentId"]].append(child)
        known.setdefault(child["Id"], child)
    contacts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for contact in client.records(queries.contacts(ids)):
        contacts[contact["AccountId"]].append(contact)
    opportunities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for opp in client.records(queries.opportunities(ids)):
        opp["OpportunityContactRoles"] = sorted(opp.get("OpportunityContactRoles") or [],
                                                key=lambda r: r["Id"])
        opportunities[opp["AccountId"]].append(opp)
    activity = _activity(client, ids, {a: len(c) for a, c in contacts.items()}, window)
    owners = {r.get("OwnerId") for r in known.values()}
    owners |= {r.get("OwnerId") for rows in (*contacts.values(), *opportunities.values())
               for r in rows}
    users: dict[str, dict[str, Any]] = {}
    for batch in queries.batches(sorted(o for o in owners if o)):
        users.update((r["Id"], r) for r in client.records(queries.users(batch)))

    documents = {}
    for account_id, account in accounts.items():
        chain: list[dict[str, Any]] = []
        parent = account.get("ParentId")
        while parent and parent in known and len(chain) < 10:
            chain.append(known[parent])
            parent = known[parent].get("ParentId")
        mine = [account, *chain, *children[account_id], *contacts[account_id],
                *opportunities[account_id]]
        owned = sorted({r["OwnerId"] for r in mine if r.get("OwnerId") in users})
        documents[account_id] = {
            "format": FORMAT,
            "account_id": account_id,
            "fetched_at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "api_version": api_version,
            "activity_from": window[0].isoformat(),
            "activity_to": window[1].isoformat(),
            "account": account,
            "parents": chain,
            "children": _by_id(children[account_id]),
            "contacts": _by_id(contacts[account_id]),
            "opportunities": _by_id(opportunities[account_id]),
            "activity": activity.get(account_id, []),
            "users": [users[u] for u in owned],
        }
        counts["contacts"] += len(contacts[account_id])
        counts["opportunities"] += len(opportunities[account_id])
        counts["contact roles"] += sum(len(o["OpportunityContactRoles"])
                                       for o in opportunities[account_id])
        counts["activities"] += sum(a["tasks"] + a["events"] for a in activity.get(account_id, []))
    return documents


def _activity(
    client: QueryClient, ids: list[str], contacts: dict[str, int], window: tuple[date, date]
) -> dict[str, list[dict[str, Any]]]:
    """Tasks and events per account and person, summarised by Salesforce (GROUP BY)."""
    rows: dict[tuple[str, str | None], dict[str, Any]] = {}
    for kind, key in (("Task", "tasks"), ("Event", "events")):
        for part in queries.by_rows(ids, contacts):
            for row in client.records(queries.activity(kind, part, *window)):
                entry = rows.setdefault((row["AccountId"], row.get("WhoId")), {
                    "WhoId": row.get("WhoId"), "tasks": 0, "events": 0, "last": None})
                entry[key] += int(row.get("total") or 0)
                last = row.get("lastDate")
                if last and (entry["last"] is None or last > entry["last"]):
                    entry["last"] = last
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (account_id, _), entry in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        out[account_id].append(entry)
    return out


def _by_id(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: r["Id"])
