"""`planpack pull` against the stand-in Salesforce, over real HTTPS, with the real client.

Every failure the issue lists: missing and contradictory credentials, a wrong token, a
Salesforce that is down or times out, an exhausted API limit, a field the org lacks, a
connection dropped mid-pagination; and a pull of more than 2,000 contacts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import AS_OF
from support.salesforce_standin import Org, StandIn, make_rsa_key_pair

from planpack.cli import cli
from planpack.loader.program import ProgramConfig, load_program
from planpack.salesforce import queries
from planpack.salesforce.client import RetryPolicy, SalesforceError
from planpack.salesforce.credentials import CredentialsError
from planpack.salesforce.pull import PullResult, pull
from planpack.salesforce.snapshot import read_snapshot

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
SECRET_BITS = ("00DSTANDIN!token", "hunter2", "T0ken")


class World:
    """An org, the stand-in serving it, and a plan repository pointing at its accounts."""

    def __init__(self, root: Path, standin: StandIn, org: Org, accounts: dict[str, str]) -> None:
        self.root = root
        self.standin = standin
        self.org = org
        self.accounts = accounts  # plan slug -> account Id
        self.sleeps: list[float] = []
        self.env = {"SF_INSTANCE_URL": standin.url, "SF_ACCESS_TOKEN": standin.token}

    @property
    def snapshots(self) -> Path:
        return self.root / ".planpack" / "snapshots"

    def config(self) -> ProgramConfig:
        return load_program(None, self.root)

    def pull(self, *, attempts: int = 4, timeout: float = 5, **env: str) -> PullResult:
        policy = RetryPolicy(attempts=attempts, backoff=0.5, timeout=timeout,
                             sleep=self.sleeps.append)
        return pull([self.root / "plans"], self.config(), env={**self.env, **env},
                    policy=policy, now=NOW)

    def snapshot(self, slug: str) -> Any:
        snapshot = read_snapshot(self.snapshots, self.accounts[slug])
        assert snapshot is not None
        return snapshot


def plan_text(name: str, account_id: str | None) -> str:
    account = f"  salesforce_id: {account_id}\n" if account_id else ""
    return (f"schema_version: 1\naccount:\n  name: {name}\n{account}  tier: 3\n"
            "team:\n  owner: owner@example.com\n")


def build_org() -> tuple[Org, dict[str, str]]:
    org = Org()
    maria = org.add_user("Maria Chen", title="Account Executive")
    lee = org.add_user("Lee Park")
    group = org.add_account("Northwind Holdings", owner_id=maria)
    emea = org.add_account("Northwind EMEA", parent_id=group, owner_id=maria)
    northwind = org.add_account("Northwind Logistics", parent_id=emea, owner_id=maria,
                                Industry="Transportation")
    org.add_account("Northwind Nordics", parent_id=northwind, owner_id=lee)
    harbor = org.add_account("Harborline Freight", owner_id=lee)
    dana = org.add_contact(northwind, "Dana", "Whitfield", title="CFO",
                           email="dana@northwind.example", owner_id=maria)
    chris = org.add_contact(northwind, "Chris", "Ortega", title="VP Operations", owner_id=maria)
    outsider = org.add_contact(harbor, "Sam", "Hollis", title="Consultant", owner_id=lee)
    deal = org.add_opportunity(northwind, "Nordics Route Optimizer", amount=285000,
                               stage="Proposal", close_date="2027-03-31", probability=60,
                               owner_id=maria, IsClosed=False, IsWon=False)
    org.add_opportunity(northwind, "Old tracking deal", amount=50000, stage="Closed Lost",
                        close_date="2026-05-01", probability=0, owner_id=maria,
                        IsClosed=True, IsWon=False)
    org.add_contact_role(deal, dana, role="Economic Buyer", is_primary=True)
    org.add_contact_role(deal, outsider, role="Evaluator")
    for days in (3, 40, 400):  # the last is outside the 365-day window
        org.add_task(account_id=northwind, who_id=dana, activity_date=AS_OF - timedelta(days),
                     owner_id=maria)
    org.add_event(account_id=northwind, who_id=chris, owner_id=maria,
                  start=datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    org.add_task(account_id=northwind, who_id=None, activity_date=AS_OF - timedelta(10))
    return org, {"northwind": northwind, "harborline": harbor}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    org, accounts = build_org()
    plans = tmp_path / "plans"
    plans.mkdir()
    for slug, account_id in accounts.items():
        (plans / f"{slug}.yaml").write_text(plan_text(slug.title(), account_id), "utf-8")
    (plans / "unlinked.yaml").write_text(plan_text("No Id Co", None), "utf-8")
    with StandIn(org) as standin:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", standin.ca_file)
        for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.chdir(tmp_path)
        yield World(tmp_path, standin, org, accounts)


def test_a_pull_writes_one_snapshot_per_account(world: World) -> None:
    result = world.pull()
    assert result.error is None and not result.failed
    assert sorted(result.refreshed) == sorted(world.accounts.values())
    assert result.unlinked == [str(world.root / "plans" / "unlinked.yaml")]
    snapshot = world.snapshot("northwind")
    assert (snapshot.account.name, snapshot.api_version) == ("Northwind Logistics", "62.0")
    assert snapshot.fetched_at == NOW
    # The parent chain, nearest first, and the child accounts.
    assert [a.name for a in snapshot.parents] == ["Northwind EMEA", "Northwind Holdings"]
    assert [a.name for a in snapshot.children] == ["Northwind Nordics"]
    assert sorted(c.name for c in snapshot.contacts) == ["Chris Ortega", "Dana Whitfield"]
    deal = next(o for o in snapshot.opportunities if o.name == "Nordics Route Optimizer")
    assert (deal.amount, deal.stage, str(deal.close_date), deal.is_open) == (
        285000.0, "Proposal", "2027-03-31", True
    )
    roles = {r.role: r.contact.name for r in deal.contact_roles if r.contact}
    assert roles == {"Economic Buyer": "Dana Whitfield", "Evaluator": "Sam Hollis"}
    # Activity in the last 365 days, summarised per person.
    activity = {a.who_id: (a.tasks, a.events, str(a.last)) for a in snapshot.activity}
    dana = next(c.id for c in snapshot.contacts if c.name == "Dana Whitfield")
    chris = next(c.id for c in snapshot.contacts if c.name == "Chris Ortega")
    assert activity == {dana: (2, 0, "2026-11-28"), chris: (0, 1, "2026-11-20"),
                        None: (1, 0, "2026-11-21")}
    assert {u.name for u in snapshot.users} == {"Maria Chen", "Lee Park"}  # Lee: the child
    # Batched, never per account: accounts, 2 parent levels, children, contacts,
    # opportunities, tasks, events, users.
    assert result.requests == world.standin.request_count == 9


def test_snapshots_are_stable_and_carry_no_credentials(world: World) -> None:
    world.pull()
    first = {p.name: p.read_bytes() for p in world.snapshots.glob("*.json")}
    world.pull()
    assert {p.name: p.read_bytes() for p in world.snapshots.glob("*.json")} == first
    text = b"".join(first.values()).decode()
    assert all(secret not in text for secret in SECRET_BITS)
    document = json.loads(first[f"{world.accounts['northwind']}.json"])
    ids = [c["Id"] for c in document["contacts"]]
    assert ids == sorted(ids)
    assert list(document) == sorted(document)


def test_the_cli_reports_counts_and_requests(world: World, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    for name, value in world.env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["pull"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "plans/unlinked.yaml: names no account salesforce_id; nothing to pull\n"
        "Pulled 2 accounts of 2 in 9 API requests (one query per account and object would "
        "take 12)\n"
        "  3 contacts, 2 opportunities, 2 contact roles, 4 tasks and events in 365 days\n"
        "  snapshots written to .planpack/snapshots\n"
    )


def test_more_than_2000_contacts_are_paged(world: World) -> None:
    northwind = world.accounts["northwind"]
    for n in range(2500):
        world.org.add_contact(northwind, "Person", f"Number {n:04d}")
    for n in range(600):
        world.org.add_contact(world.accounts["harborline"], "Other", f"Person {n:04d}")
    result = world.pull()
    assert len(world.snapshot("northwind").contacts) == 2502
    assert len(world.snapshot("harborline").contacts) == 601
    # 3,103 contacts: two pages; activity summaries split to stay under 2,000 rows.
    contact_queries = [r for r in world.standin.requests.snapshot()
                       if r.q and "FROM Contact" in r.q]
    assert len(contact_queries) == 1
    assert result.requests == 12


def test_batches_keep_every_query_short(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "IN_LIST_BUDGET", 25)  # one account per IN list
    result = world.pull()
    assert len(result.refreshed) == 2
    assert all(len(r.q or "") < 2000 for r in world.standin.requests.snapshot())


def test_no_credentials_is_a_usage_error(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(world.env):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["pull"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no Salesforce credentials in the environment: set ")
    assert world.standin.request_count == 0


def test_contradictory_credentials_are_a_usage_error(world: World) -> None:
    with pytest.raises(CredentialsError) as error:
        world.pull(SF_USERNAME="ops@acme.example", SF_PASSWORD="hunter2",
                   SF_SECURITY_TOKEN="T0ken")
    assert "contradictory" in str(error.value)
    assert all(secret not in str(error.value) for secret in SECRET_BITS)


def keep_old_snapshots(world: World) -> dict[str, bytes]:
    world.pull()
    for path in world.snapshots.glob("*.json"):
        path.write_bytes(path.read_bytes().replace(b"Northwind", b"Northwind (old)"))
    return {p.name: p.read_bytes() for p in world.snapshots.glob("*.json")}


def assert_kept(world: World, old: dict[str, bytes]) -> None:
    assert {p.name: p.read_bytes() for p in world.snapshots.glob("*.json")} == old
    assert list(world.snapshots.glob(".*")) == []  # no temporary files left behind


def test_a_wrong_token(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    old = keep_old_snapshots(world)
    monkeypatch.setenv("SF_INSTANCE_URL", world.standin.url)
    monkeypatch.setenv("SF_ACCESS_TOKEN", "00DWRONG!not-the-token")
    result = CliRunner().invoke(cli, ["pull"])
    assert result.exit_code == 1
    assert ("Error: Salesforce rejected the session (INVALID_SESSION_ID): the access token is "
            "wrong or has expired; get a new one and set SF_ACCESS_TOKEN again") in result.output
    assert "Not refreshed (2 accounts; earlier snapshots kept)" in result.output
    assert "not-the-token" not in result.output and "Traceback" not in result.output
    assert_kept(world, old)


def test_salesforce_down_is_retried_with_backoff(world: World) -> None:
    world.standin.fail_server_unavailable(times=2)
    result = world.pull()
    assert result.error is None
    assert world.sleeps == [0.5, 1.0]


def test_salesforce_down_for_good(world: World) -> None:
    old = keep_old_snapshots(world)
    world.standin.fail_maintenance(times=100)
    before = world.standin.request_count
    result = world.pull(attempts=3)
    assert isinstance(result.error, SalesforceError)
    assert result.error.message == (
        "Salesforce did not answer after 3 attempts (503 HTTP_503); try again later "
        "(https://status.salesforce.com)"
    )
    assert world.standin.request_count - before == 3  # bounded: no hammering
    assert world.sleeps == [0.5, 1.0]
    assert sorted(result.not_refreshed) == sorted(world.accounts.values())
    assert_kept(world, old)


def test_a_timeout_is_retried_then_reported(world: World) -> None:
    world.standin.stall(3, times=2)
    result = world.pull(attempts=2, timeout=0.5)
    assert result.error is not None
    assert result.error.message.startswith("Salesforce did not answer after 2 attempts (timed out)")


def test_the_api_limit_stops_the_pull_at_once(world: World) -> None:
    old = keep_old_snapshots(world)
    world.standin.fail_request_limit(times=100, after=1)
    before = world.standin.request_count
    result = world.pull()
    assert result.error is not None and result.error.code == "REQUEST_LIMIT_EXCEEDED"
    assert result.error.message == (
        "the org's Salesforce API request limit is used up (REQUEST_LIMIT_EXCEEDED); planpack "
        "stopped instead of retrying: pull again once the limit has reset"
    )
    assert world.standin.request_count - before == 2 and world.sleeps == []
    assert_kept(world, old)


def test_a_field_the_org_lacks_is_named(world: World) -> None:
    world.org.remove_field("Contact", "Department")
    result = world.pull()
    assert result.error is not None and result.error.code == "INVALID_FIELD"
    assert result.error.message == (
        "this Salesforce org has no field Contact.Department, or the integration user cannot "
        "see it (INVALID_FIELD); grant the user read access to it"
    )
    assert result.refreshed == []


def test_a_connection_dropped_mid_pagination_is_retried(world: World) -> None:
    for n in range(2100):
        world.org.add_contact(world.accounts["northwind"], "Person", f"Number {n:04d}")
    world.standin.drop(kind="more")
    result = world.pull()
    assert result.error is None
    assert len(world.snapshot("northwind").contacts) == 2102
    assert world.sleeps == [0.5]


def test_a_pull_failing_part_way_keeps_what_it_finished(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "IN_LIST_BUDGET", 25)  # one account per batch
    old = keep_old_snapshots(world)
    # How many requests the first batch takes: up to the first query naming the second account.
    log = world.standin.requests.snapshot()
    second = sorted(world.accounts.values())[1]
    first_batch = next(i for i, r in enumerate(log) if r.q and second in r.q)
    world.standin.drop(times=100, after=first_batch)
    result = world.pull(attempts=2)
    assert len(result.refreshed) == 1 and len(result.not_refreshed) == 1
    assert result.error is not None and "connection failed or was dropped" in result.error.message
    refreshed, kept = result.refreshed[0], result.not_refreshed[0]
    assert b"(old)" not in (world.snapshots / f"{refreshed}.json").read_bytes()
    assert (world.snapshots / f"{kept}.json").read_bytes() == old[f"{kept}.json"]


def test_an_account_salesforce_does_not_have(world: World) -> None:
    world.org.delete("Account", world.accounts["harborline"])
    result = world.pull()
    assert result.not_found == [world.accounts["harborline"]] and result.failed
    assert result.refreshed == [world.accounts["northwind"]]


def test_tls_is_verified(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")  # the stand-in's CA is not a public one
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    error = world.pull().error
    assert error is not None and error.code == "TLS"
    assert error.message == (
        f"the TLS certificate of {world.standin.url.removeprefix('https://')} could not be "
        "verified; if your network inspects TLS with its own certificate authority, point "
        "REQUESTS_CA_BUNDLE at its certificate"
    )
    assert world.sleeps == []  # not retried


def test_password_login(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", world.standin.proxy_url)
    monkeypatch.setenv("NO_PROXY", "")
    creds = world.org.users_credentials
    world.env = {"SF_USERNAME": creds.username, "SF_PASSWORD": creds.password,
                 "SF_SECURITY_TOKEN": creds.security_token}
    assert world.pull().error is None
    assert any("login.salesforce.com" in line for line in world.standin.proxy_log)
    world.env["SF_PASSWORD"] = "wrong-password"
    with pytest.raises(SalesforceError) as error:
        world.pull()
    assert error.value.message.startswith("the Salesforce login failed (INVALID_LOGIN)")
    assert "wrong-password" not in error.value.message


def test_jwt_login_on_a_sandbox(world: World, monkeypatch: pytest.MonkeyPatch,
                                tmp_path: Path) -> None:
    monkeypatch.setenv("HTTPS_PROXY", world.standin.proxy_url)
    monkeypatch.setenv("NO_PROXY", "")
    key = tmp_path / "server.key"
    creds = world.org.users_credentials
    creds.jwt_public_key = make_rsa_key_pair(key)
    world.env = {"SF_USERNAME": creds.username, "SF_CONSUMER_KEY": creds.consumer_key,
                 "SF_PRIVATE_KEY_FILE": str(key), "SF_DOMAIN": "test"}
    assert world.pull().error is None
    assert any("test.salesforce.com" in line for line in world.standin.proxy_log)


@pytest.mark.parametrize("value", ["001' OR Name != '", "001Dn00000Abc12IAB) OR (Id", ""])
def test_ids_are_checked_before_they_reach_a_query(value: str) -> None:
    with pytest.raises(ValueError, match="not a Salesforce Id"):
        queries.accounts([value])
    with pytest.raises(ValueError, match="not a Salesforce Id"):
        list(queries.batches(["001Dn00000Abc12IAB", value]))


def test_values_are_escaped() -> None:
    soql = queries.activity("Task", ["001Dn00000Abc12IAB"], date(2025, 12, 1), date(2026, 12, 1))
    assert "AccountId IN ('001Dn00000Abc12IAB') AND ActivityDate >= 2025-12-01" in soql
    with pytest.raises(ValueError):
        queries.activity("Task WHERE Id != null", [], date(2025, 12, 1), date(2026, 12, 1))


def test_validate_uses_the_pulled_snapshot(world: World) -> None:
    world.pull()
    result = CliRunner().invoke(cli, ["validate", "--as-of", "2026-12-01", "--format", "json"])
    findings = json.loads(result.stdout)
    # Dana Whitfield and Sam Hollis have roles on Northwind's open deal; the plan maps nobody.
    assert [f["rule"] for f in findings] == ["crm-missing-contact"] * 2
    assert [f["message"].split(" has ")[0] for f in findings] == [
        "Dana Whitfield (CFO)", "Sam Hollis (Consultant)"
    ]

