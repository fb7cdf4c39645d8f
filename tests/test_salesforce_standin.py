"""The Salesforce stand-in, driven by the unmodified simple-salesforce client over real HTTPS.

Every test runs offline: proxy settings from the environment are cleared and any connection
or name lookup beyond the loopback interface fails the test.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)
from support.salesforce_standin import (
    MAINTENANCE_HTML,
    Org,
    StandIn,
    generate_org,
    make_id,
    make_rsa_key_pair,
)

from planpack.salesforce_id import check

VERSION = "62.0"
TODAY = datetime.now(UTC).date()
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
Connect = Callable[..., Salesforce]


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOOPBACK:
            raise OSError(f"the test tried to reach {address!r}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in _LOOPBACK:
            raise socket.gaierror(f"the test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def connect(monkeypatch: pytest.MonkeyPatch) -> Iterator[Connect]:
    """Make a simple_salesforce.Salesforce trusting the stand-in's CA (sessions closed after)."""
    sessions: list[requests.Session] = []

    def make(
        standin: StandIn | None = None, *, ca_file: str | None = None, version: str = VERSION,
        **kwargs: Any,
    ) -> Salesforce:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_file or (standin.ca_file if standin else ""))
        if standin is not None and "username" not in kwargs:
            kwargs.setdefault("instance_url", standin.url)
            kwargs.setdefault("session_id", standin.token)
        session = requests.Session()
        sessions.append(session)
        return Salesforce(version=version, session=session, **kwargs)

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def via_proxy(monkeypatch: pytest.MonkeyPatch) -> Callable[[StandIn], None]:
    def route(standin: StandIn) -> None:
        monkeypatch.setenv("HTTPS_PROXY", standin.proxy_url)
        monkeypatch.setenv("NO_PROXY", "")

    return route


def small_org() -> tuple[Org, dict[str, str]]:
    org = Org()
    ids: dict[str, str] = {}
    ids["owner"] = org.add_user("Maria Chen", title="Account Executive")
    ids["group"] = org.add_account("Northwind Group", owner_id=ids["owner"])
    ids["holdings"] = org.add_account(
        "Northwind Holdings", parent_id=ids["group"], owner_id=ids["owner"]
    )
    ids["account"] = org.add_account(
        "Northwind Logistics", parent_id=ids["holdings"], owner_id=ids["owner"],
        Industry="Transportation", AnnualRevenue=125_000_000, NumberOfEmployees=4200,
        LastActivityDate=date(2026, 11, 2), SystemModstamp="2026-11-02T10:00:00Z",
    )
    ids["other"] = org.add_account("Contoso", owner_id=ids["owner"])
    ids["dana"] = org.add_contact(
        ids["account"], "Dana", "Whitfield", title="CFO", email="dana@northwind.example.com",
        Department="Finance",
    )
    ids["lee"] = org.add_contact(ids["account"], "Lee", "O'Brien", title="CIO")
    ids["sam"] = org.add_contact(ids["other"], "Sam", "Rivera", title="COO")
    ids["open"] = org.add_opportunity(
        ids["account"], "Route Optimizer EMEA", amount=250_000, stage="Negotiation/Review",
        close_date="2027-01-31", probability=90,
    )
    ids["won"] = org.add_opportunity(
        ids["account"], "Fleet Tracking", amount=80_000, stage="Closed Won",
        close_date="2026-06-30", probability=100,
    )
    ids["bare"] = org.add_opportunity(ids["other"], "Pilot", amount=10_000, close_date="2027-03-01")
    org.add_contact_role(ids["open"], ids["dana"], role="Economic Buyer", is_primary=True)
    org.add_contact_role(ids["open"], ids["sam"], role="Influencer")  # another account's contact
    for days, who in ((3, ids["dana"]), (40, ids["lee"]), (390, ids["dana"]), (10, None)):
        org.add_task(account_id=ids["account"], who_id=who, what_id=ids["account"],
                     activity_date=TODAY - timedelta(days=days))
    org.add_event(account_id=ids["other"], who_id=ids["sam"], what_id=ids["bare"],
                  start=datetime.combine(TODAY - timedelta(days=5), datetime.min.time(), UTC))
    return org, ids


@pytest.fixture
def org_ids() -> tuple[Org, dict[str, str]]:
    return small_org()


@pytest.fixture
def standin(org_ids: tuple[Org, dict[str, str]]) -> Iterator[StandIn]:
    with StandIn(org_ids[0]) as running:
        yield running


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> dict[str, str]:
    content = excinfo.value.content
    assert isinstance(content, list), content
    return dict(content[0])


# -- queries ------------------------------------------------------------------------------


def test_simple_query_values_and_request_log(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    account = org_ids[1]["account"]
    soql = (
        "SELECT Id, Name, Industry, AnnualRevenue, NumberOfEmployees, LastActivityDate, "
        f"SystemModstamp, ParentId FROM Account WHERE Id = '{account[:15]}'"
    )
    result = connect(standin).query(soql)

    assert result["totalSize"] == 1 and result["done"] is True
    assert "nextRecordsUrl" not in result
    record = result["records"][0]
    assert record["attributes"] == {
        "type": "Account", "url": f"/services/data/v{VERSION}/sobjects/Account/{account}",
    }
    assert check(record["Id"], "001") == account
    assert record["Name"] == "Northwind Logistics"
    assert record["AnnualRevenue"] == 125_000_000.0 and isinstance(record["AnnualRevenue"], float)
    assert record["NumberOfEmployees"] == 4200
    assert record["LastActivityDate"] == "2026-11-02"
    assert record["SystemModstamp"] == "2026-11-02T10:00:00.000+0000"
    assert record["ParentId"] == org_ids[1]["holdings"]
    last = standin.requests[-1]
    assert (last.method, last.path, last.kind, last.status) == (
        "GET", f"/services/data/v{VERSION}/query/", "query", 200
    )
    assert last.q == soql and last.params["q"] == soql
    assert standin.request_count == 1


def test_id_literals_15_characters_or_18_in_any_case(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    account = org_ids[1]["account"]
    sf = connect(standin)
    for literal in (account, account[:15], account.swapcase(), account.lower()):
        result = sf.query(f"SELECT Id FROM Account WHERE Id = '{literal}'")
        assert [r["Id"] for r in result["records"]] == [account], literal
    lower = sf.query("select id, name from account where name = 'northwind logistics'")
    assert list(lower["records"][0]) == ["attributes", "Id", "Name"]  # canonical names
    assert lower["records"][0]["attributes"]["type"] == "Account"
    # A 15-character Id is case-sensitive: another case is another record.
    other_case = account[:15].swapcase()
    assert sf.query(f"SELECT Id FROM Account WHERE Id = '{other_case}'")["totalSize"] == 0
    with pytest.raises(SalesforceMalformedRequest) as excinfo:
        sf.query(f"SELECT Id FROM Account WHERE Id = '{account[:15]}999'")
    assert error_of(excinfo)["errorCode"] == "INVALID_QUERY_FILTER_OPERATOR"
    assert error_of(excinfo)["message"].endswith(f"invalid ID field: {account[:15]}999")


def test_pagination_over_4500_contacts(connect: Connect) -> None:
    org = Org()
    account = org.add_account("Big Co")
    for n in range(4500):
        org.add_contact(account, "Contact", f"Number {n}")
    with StandIn(org) as standin:
        sf = connect(standin)
        first = sf.query("SELECT Id, Name FROM Contact")
        assert (first["totalSize"], first["done"], len(first["records"])) == (4500, False, 2000)
        match = re.fullmatch(rf"/services/data/v{VERSION}/query/(01gSTANDIN\d+)-2000",
                             first["nextRecordsUrl"])
        assert match
        second = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
        assert second["done"] is False and len(second["records"]) == 2000
        assert second["nextRecordsUrl"] == f"/services/data/v{VERSION}/query/{match[1]}-4000"
        third = sf.query_more(second["nextRecordsUrl"], identifier_is_url=True)
        assert third["done"] is True and len(third["records"]) == 500
        assert "nextRecordsUrl" not in third
        assert [r.kind for r in standin.requests] == ["query", "more", "more"]

        standin.requests.clear()
        everything = sf.query_all("SELECT Id FROM Contact")
        assert everything["totalSize"] == 4500
        assert len({r["Id"] for r in everything["records"]}) == 4500
        assert standin.request_count == 3


def test_page_size_and_version_are_configurable(connect: Connect) -> None:
    org, _ = small_org()
    with StandIn(org, page_size=2) as standin:
        sf = connect(standin, version="58.0")
        first = sf.query("SELECT Id FROM Contact ORDER BY LastName DESC")
        assert first["nextRecordsUrl"].startswith("/services/data/v58.0/query/01gSTANDIN")
        assert first["records"][0]["attributes"]["url"].startswith("/services/data/v58.0/")
        assert len(sf.query_all("SELECT Id FROM Contact")["records"]) == 3


def test_parent_relationship_paths(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    ids = org_ids[1]
    result = connect(standin).query(
        "SELECT Id, Owner.Name, Parent.Name, Parent.Parent.Id FROM Account "
        f"WHERE Id IN ('{ids['account']}', '{ids['other']}') ORDER BY Name DESC"
    )
    northwind, contoso = result["records"]
    assert northwind["Owner"] == {
        "attributes": {"type": "User",
                       "url": f"/services/data/v{VERSION}/sobjects/User/{ids['owner']}"},
        "Name": "Maria Chen",
    }
    assert northwind["Parent"]["Name"] == "Northwind Holdings"
    assert northwind["Parent"]["attributes"]["type"] == "Account"
    assert northwind["Parent"]["Parent"]["Id"] == ids["group"]
    assert northwind["Parent"]["Parent"]["attributes"]["type"] == "Account"
    assert contoso["Parent"] is None


def test_child_subquery_shape_and_null(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    ids = org_ids[1]
    result = connect(standin).query(
        "SELECT Id, Name, (SELECT Id, ContactId, Contact.Name, Contact.Title, Contact.Email, "
        "Contact.AccountId, Role, IsPrimary FROM OpportunityContactRoles) FROM Opportunity "
        f"WHERE Id IN ('{ids['open']}', '{ids['bare']}')"
    )
    with_roles, without = result["records"]
    roles = with_roles["OpportunityContactRoles"]
    assert (roles["totalSize"], roles["done"], len(roles["records"])) == (2, True, 2)
    dana, sam = roles["records"]
    assert dana["attributes"]["type"] == "OpportunityContactRole"
    assert dana["ContactId"] == ids["dana"] and dana["IsPrimary"] is True
    assert dana["Contact"]["attributes"]["type"] == "Contact"
    assert dana["Contact"]["Name"] == "Dana Whitfield"
    assert dana["Contact"]["Email"] == "dana@northwind.example.com"
    assert dana["Contact"]["AccountId"] == ids["account"]
    assert sam["Contact"]["AccountId"] == ids["other"] and sam["IsPrimary"] is False
    assert without["OpportunityContactRoles"] is None


def test_aggregates_with_aliases_and_expr_names(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    ids = org_ids[1]
    result = connect(standin).query(
        "SELECT WhoId, MAX(ActivityDate) latest, COUNT(Id), MIN(ActivityDate) FROM Task "
        f"WHERE AccountId = '{ids['account']}' AND ActivityDate = LAST_N_DAYS:365 "
        "GROUP BY WhoId ORDER BY COUNT(Id) DESC"
    )
    assert result["done"] is True and result["totalSize"] == 3
    first = result["records"][0]
    assert list(first) == ["attributes", "WhoId", "latest", "expr0", "expr1"]
    assert first["attributes"] == {"type": "AggregateResult"}
    by_who = {r["WhoId"]: r for r in result["records"]}
    assert by_who[ids["dana"]]["expr0"] == 1  # the 390-day-old task is outside the window
    assert by_who[ids["dana"]]["latest"] == (TODAY - timedelta(days=3)).isoformat()
    assert by_who[None]["expr1"] == (TODAY - timedelta(days=10)).isoformat()

    count = connect(standin).query("SELECT COUNT() FROM Contact")
    assert (count["totalSize"], count["records"]) == (3, [])


def test_aggregate_over_2000_rows_is_malformed(connect: Connect) -> None:
    org = Org()
    for n in range(2001):
        org.add_contact(make_id("001", n + 1), None, f"Person {n}")
    with StandIn(org) as standin:
        sf = connect(standin)
        with pytest.raises(SalesforceMalformedRequest) as excinfo:
            sf.query("SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId")
        error = error_of(excinfo)
        assert error["errorCode"] == "MALFORMED_QUERY"
        assert "exceeds 2,000 rows" in error["message"]
        limited = sf.query(
            "SELECT AccountId, COUNT(Id) n FROM Contact GROUP BY AccountId LIMIT 2000"
        )
        assert limited["done"] is True and len(limited["records"]) == 2000


def test_invalid_field_after_remove_field(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    sf = connect(standin)
    soql = "SELECT Id, Department FROM Contact"
    assert sf.query(soql)["records"][0]["Department"] == "Finance"
    org_ids[0].remove_field("Contact", "Department")
    with pytest.raises(SalesforceMalformedRequest) as excinfo:
        sf.query(soql)
    error = error_of(excinfo)
    assert error["errorCode"] == "INVALID_FIELD"
    assert error["message"] == (
        f"\n{soql}\n           ^\nERROR at Row:1:Column:12\n"
        "No such column 'Department' on entity 'Contact'. If you are attempting to use a custom "
        "field, be sure to append the '__c' after the custom field name. Please reference your "
        "WSDL or the describe call for the appropriate names."
    )
    with pytest.raises(SalesforceMalformedRequest) as excinfo:
        sf.query("SELECT Id FROM Contact WHERE department = 'Finance'")
    assert "No such column 'department' on entity 'Contact'" in error_of(excinfo)["message"]
    with pytest.raises(SalesforceMalformedRequest) as excinfo:
        sf.query("SELECT Id, Owner.Nickname FROM Account")
    assert "No such column 'Nickname' on entity 'User'" in error_of(excinfo)["message"]


def test_wrong_token_is_an_expired_session(standin: StandIn, connect: Connect) -> None:
    sf = connect(standin, session_id="00DSTANDIN!wrong")
    with pytest.raises(SalesforceExpiredSession) as excinfo:
        sf.query("SELECT Id FROM Account")
    assert error_of(excinfo) == {
        "message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID",
    }


@pytest.mark.parametrize(
    ("soql", "expected"),
    [
        ("select id, NAME from contact where lastname = 'o\\'brien'", ["Lee O'Brien"]),
        ("SELECT Name FROM Contact WHERE Title IN ('CFO', 'coo') ORDER BY Name",
         ["Dana Whitfield", "Sam Rivera"]),
        ("SELECT Name FROM Contact WHERE Title NOT IN ('CFO') AND Department = null",
         ["Lee O'Brien", "Sam Rivera"]),
        ("SELECT Name FROM Contact WHERE (Title = 'CFO' OR Title = 'CIO') AND Email != null",
         ["Dana Whitfield"]),
        ("SELECT Name FROM Contact WHERE NOT Name LIKE 'D%'", ["Lee O'Brien", "Sam Rivera"]),
        ("SELECT Name FROM Opportunity WHERE CloseDate > 2026-12-31 AND IsClosed = false "
         "ORDER BY Amount DESC", ["Route Optimizer EMEA", "Pilot"]),
        ("SELECT Name FROM Opportunity WHERE Amount >= 80000 AND Probability < 100",
         ["Route Optimizer EMEA"]),
        ("SELECT Name FROM Account WHERE SystemModstamp >= 2026-11-02T10:00:00.000+0000",
         ["Northwind Logistics"]),
        ("SELECT Subject FROM Task WHERE ActivityDate < LAST_N_DAYS:365", ["Call"]),
        ("SELECT Subject FROM Event WHERE ActivityDate = LAST_N_DAYS:7 AND What.Type = "
         "'Opportunity'", ["Meeting"]),
        ("SELECT Role FROM OpportunityContactRole WHERE Opportunity.Account.Name = "
         "'Northwind Logistics' AND Contact.Account.Name = 'Contoso'", ["Influencer"]),
        ("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE "
         "Title = 'COO')", ["Contoso"]),
        ("SELECT Name FROM Contact ORDER BY Name DESC LIMIT 2 OFFSET 1",
         ["Lee O'Brien", "Dana Whitfield"]),
    ],
)
def test_soql_subset(standin: StandIn, connect: Connect, soql: str, expected: list[str]) -> None:
    records = connect(standin).query(soql)["records"]
    assert [next(v for k, v in r.items() if k != "attributes" and k != "Id") for r in records] == (
        expected
    )


def test_dotted_path_filter_in_list(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    ids = org_ids[1]
    result = connect(standin).query(
        "SELECT Id, Contact.Name FROM OpportunityContactRole "
        f"WHERE Opportunity.AccountId IN ('{ids['account']}', '{ids['group']}')"
    )
    assert sorted(r["Contact"]["Name"] for r in result["records"]) == [
        "Dana Whitfield", "Sam Rivera",
    ]


@pytest.mark.parametrize(
    ("soql", "code", "fragment"),
    [
        ("SELECT Id FROM Contact WHERE Title = 'a' AND Name = 'b' OR Email = null",
         "MALFORMED_QUERY", "unexpected token: OR"),
        ("SELECT Id FROM Contact WHERE", "MALFORMED_QUERY", "unexpected token: <EOF>"),
        ("SELECT Id, Name FROM Contact GROUP BY AccountId", "MALFORMED_QUERY",
         "Field must be grouped or aggregated: Id"),
        ("SELECT Id FROM Opportunity WHERE CloseDate > '2026-01-01'",
         "INVALID_QUERY_FILTER_OPERATOR", "must be of type date and should not be enclosed"),
        ("SELECT Id FROM Contact WHERE AccountId = 'nope'", "INVALID_QUERY_FILTER_OPERATOR",
         "invalid ID field: nope"),
        ("SELECT Id FROM Widget", "INVALID_TYPE", "sObject type 'Widget' is not supported"),
        ("SELECT Id, (SELECT Id FROM Gadgets) FROM Account", "INVALID_TYPE",
         "Didn't understand relationship 'Gadgets' in FROM part of query call"),
        ("SELECT Boss.Name FROM Contact", "INVALID_FIELD",
         "Didn't understand relationship 'Boss' in field path"),
    ],
)
def test_refused_queries(
    standin: StandIn, connect: Connect, soql: str, code: str, fragment: str
) -> None:
    with pytest.raises(SalesforceMalformedRequest) as excinfo:
        connect(standin).query(soql)
    error = error_of(excinfo)
    assert error["errorCode"] == code
    assert fragment in error["message"]


def test_uri_longer_than_max_uri_is_414(
    standin: StandIn, connect: Connect, org_ids: tuple[Org, dict[str, str]]
) -> None:
    sf = connect(standin)
    ids = ", ".join(f"'{make_id('001', n)}'" for n in range(1, 1200))
    with pytest.raises(SalesforceGeneralError) as excinfo:
        sf.query(f"SELECT Id FROM Account WHERE Id IN ({ids})")
    assert excinfo.value.status == 414
    assert "URI Too Long" in str(excinfo.value.content)
    assert standin.requests[-1].kind == "uri_too_long"
    assert sf.query("SELECT Id FROM Account")["totalSize"] == 4  # still serving


# -- failure injection --------------------------------------------------------------------


def test_fail_503_then_recovers(standin: StandIn, connect: Connect) -> None:
    sf = connect(standin)
    standin.fail_server_unavailable()
    with pytest.raises(SalesforceGeneralError) as excinfo:
        sf.query("SELECT Id FROM Account")
    assert excinfo.value.status == 503
    assert error_of(excinfo)["errorCode"] == "SERVER_UNAVAILABLE"
    assert sf.query("SELECT Id FROM Account")["totalSize"] == 4
    standin.fail_maintenance()
    with pytest.raises(SalesforceGeneralError) as excinfo:
        sf.query("SELECT Id FROM Account")
    assert excinfo.value.status == 503 and str(excinfo.value.content) == MAINTENANCE_HTML


def test_request_limit_exceeded_after_two_calls(standin: StandIn, connect: Connect) -> None:
    sf = connect(standin)
    standin.fail_request_limit(after=2, times=2)
    sf.query("SELECT Id FROM Account")
    sf.query("SELECT Id FROM Account")
    for _ in range(2):
        with pytest.raises(SalesforceRefusedRequest) as excinfo:
            sf.query("SELECT Id FROM Account")
        assert error_of(excinfo) == {
            "message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED",
        }
    assert sf.query("SELECT Id FROM Account")["done"] is True
    assert standin.request_count == 5


def test_custom_failure_body(standin: StandIn, connect: Connect) -> None:
    standin.fail(500, [{"message": "boom", "errorCode": "UNKNOWN_EXCEPTION"}], kind="query")
    with pytest.raises(SalesforceGeneralError) as excinfo:
        connect(standin).query("SELECT Id FROM Account")
    assert excinfo.value.status == 500 and error_of(excinfo)["message"] == "boom"


def test_drop_mid_pagination(connect: Connect) -> None:
    org = Org()
    for n in range(5):
        org.add_account(f"Account {n}")
    with StandIn(org, page_size=2) as standin:
        sf = connect(standin)
        standin.drop(kind="more", after=1)
        with pytest.raises(requests.exceptions.ConnectionError):
            sf.query_all("SELECT Id FROM Account")
        assert [(r.kind, r.status) for r in standin.requests] == [
            ("query", 200), ("more", 200), ("more", None),
        ]
        assert len(sf.query_all("SELECT Id FROM Account")["records"]) == 5


def test_stall_makes_the_client_time_out(standin: StandIn, connect: Connect) -> None:
    sf = connect(standin)
    standin.stall(5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sf.query("SELECT Id FROM Account", timeout=0.5)
    assert sf.query("SELECT Id FROM Account", timeout=5)["totalSize"] == 4


# -- logins through the CONNECT proxy -----------------------------------------------------


def test_password_login_through_the_proxy(
    standin: StandIn, connect: Connect, via_proxy: Callable[[StandIn], None],
    org_ids: tuple[Org, dict[str, str]],
) -> None:
    via_proxy(standin)
    creds = org_ids[0].users_credentials
    sf = connect(standin, username=creds.username, password=creds.password,
                 security_token=creds.security_token)
    assert sf.session_id == standin.token
    assert sf.sf_instance == f"127.0.0.1:{standin.port}"
    assert sf.query("SELECT Id FROM Contact")["totalSize"] == 3
    assert "CONNECT login.salesforce.com:443" in standin.proxy_log
    assert [r.kind for r in standin.requests] == ["login", "query"]
    assert standin.requests[0].path == f"/services/Soap/u/{VERSION}"
    assert standin.request_count == 1


def test_bad_password_fails_authentication(
    standin: StandIn, connect: Connect, via_proxy: Callable[[StandIn], None],
    org_ids: tuple[Org, dict[str, str]],
) -> None:
    via_proxy(standin)
    creds = org_ids[0].users_credentials
    with pytest.raises(SalesforceAuthenticationFailed) as excinfo:
        connect(standin, username=creds.username, password="wrong",
                security_token=creds.security_token)
    assert excinfo.value.code == "INVALID_LOGIN"
    assert excinfo.value.auth_message == (
        "INVALID_LOGIN: Invalid username, password, security token; or user locked out."
    )


def test_jwt_login_through_the_proxy(
    standin: StandIn, connect: Connect, via_proxy: Callable[[StandIn], None],
    org_ids: tuple[Org, dict[str, str]], tmp_path: Path,
) -> None:
    via_proxy(standin)
    key = tmp_path / "server.key"
    creds = org_ids[0].users_credentials
    creds.jwt_public_key = make_rsa_key_pair(key)
    sf = connect(standin, username=creds.username, consumer_key=creds.consumer_key,
                 privatekey_file=str(key))
    assert sf.sf_instance == f"127.0.0.1:{standin.port}"
    assert sf.query("SELECT Id FROM Account")["totalSize"] == 4
    assert standin.requests[0].kind == "token"

    with pytest.raises(SalesforceAuthenticationFailed) as excinfo:
        connect(standin, username=creds.username, consumer_key="someone-else",
                privatekey_file=str(key))
    assert (excinfo.value.code, excinfo.value.auth_message) == (
        "invalid_grant", "invalid assertion"
    )
    other_key = tmp_path / "other.key"
    make_rsa_key_pair(other_key)
    with pytest.raises(SalesforceAuthenticationFailed):
        connect(standin, username=creds.username, consumer_key=creds.consumer_key,
                privatekey_file=str(other_key))


def test_proxy_tunnels_every_connect_to_the_stand_in_only(standin: StandIn) -> None:
    port = int(standin.proxy_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            head += raw.recv(1024)
        assert head.startswith(b"HTTP/1.1 200")
        context = ssl.create_default_context(cafile=standin.ca_file)  # trusts only the stand-in
        with context.wrap_socket(raw, server_hostname="login.salesforce.com") as tls:
            certificate = tls.getpeercert()
            assert certificate is not None
            names = [str(entry[1]) for entry in certificate["subjectAltName"]]
            assert "login.salesforce.com" in names and "*.my.salesforce.com" in names
            tls.sendall(
                f"GET /services/data/v{VERSION}/query?q=SELECT+Id+FROM+Account HTTP/1.1\r\n"
                f"Host: example.com\r\nAuthorization: Bearer {standin.token}\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            response = b""
            while chunk := tls.recv(65536):
                response += chunk
    assert response.startswith(b"HTTP/1.1 200")
    assert json.loads(response.split(b"\r\n\r\n", 1)[1])["totalSize"] == 4
    assert standin.proxy_log == ["CONNECT example.com:443"]
    assert standin.requests[-1].q == "SELECT Id FROM Account"

    refused = requests.Session()
    try:
        response2 = refused.get("http://example.com/", proxies={"http": standin.proxy_url},
                                timeout=5)
        assert response2.status_code == 405
    finally:
        refused.close()
    assert standin.proxy_log[-1] == "GET http://example.com/"


# -- generated data and the command line --------------------------------------------------


def test_generate_org_is_realistic() -> None:
    org, plan = generate_org(80, 800, 400, 3000, seed=7, today=date(2026, 12, 1))
    assert len(plan) == 80 and len(set(plan)) == 80
    plan_set = set(plan)
    accounts = {r["Id"]: r for r in org.records("Account")}
    with_parent = [a for a in plan if accounts[a]["ParentId"] not in (None, *plan_set)]
    assert with_parent, "some plan accounts have a parent outside the plan accounts"
    assert any(accounts[accounts[a]["ParentId"]]["ParentId"] not in (None, *plan_set)
               for a in with_parent), "and some of those have a grandparent"
    assert any(r["ParentId"] in plan_set for r in accounts.values()), "some have children"
    per_account: dict[str, int] = {}
    for contact in org.records("Contact"):
        per_account[contact["AccountId"]] = per_account.get(contact["AccountId"], 0) + 1
    counts = sorted(per_account.get(a, 0) for a in plan)
    assert counts[-1] > 4 * max(1, counts[len(counts) // 2]), "contacts are spread unevenly"
    contacts = {r["Id"]: r for r in org.records("Contact")}
    opportunities = {r["Id"]: r for r in org.records("Opportunity")}
    roles = org.records("OpportunityContactRole")
    assert any(contacts[r["ContactId"]]["AccountId"]
               != opportunities[r["OpportunityId"]]["AccountId"] for r in roles)
    per_opportunity = [len(org.children("OpportunityContactRole", "OpportunityId", o))
                       for o in opportunities]
    assert min(per_opportunity) == 0 and max(per_opportunity) == 4
    stages = {o["StageName"] for o in opportunities.values()}
    assert {"Closed Won", "Closed Lost"} <= stages and len(stages) > 3
    activities = org.records("Task") + org.records("Event")
    assert len(activities) == 3000
    days = [(date(2026, 12, 1) - a["ActivityDate"]).days for a in activities]
    assert min(days) >= 0 and max(days) <= 400 and any(d > 365 for d in days)
    assert sum(a["WhoId"] is not None for a in activities) > 0.7 * len(activities)
    assert 35 <= org.count("User") <= 45
    for record_id in [*plan[:5], *contacts][:20]:
        assert check(record_id, record_id[:3]) == record_id
    assert generate_org(80, 800, 400, 3000, seed=7, today=date(2026, 12, 1))[1] == plan


def test_command_line_serves_until_stdin_closes(connect: Connect) -> None:
    script = Path(__file__).parent / "support" / "salesforce_standin.py"
    command = [sys.executable, str(script), "--accounts", "6", "--contacts", "40",
               "--opportunities", "12", "--activities", "60"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as process:
        assert process.stdin is not None and process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert set(info) == {"url", "ca_file", "token", "proxy_url", "account_ids"}
        sf = connect(ca_file=info["ca_file"], instance_url=info["url"],
                     session_id=info["token"])
        quoted = ", ".join(f"'{a}'" for a in info["account_ids"])
        result = sf.query(f"SELECT Id FROM Account WHERE Id IN ({quoted})")
        assert result["totalSize"] == 6
        sf.session.close()
        process.stdin.close()
        assert process.wait(timeout=10) == 0
