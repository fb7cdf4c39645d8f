"""The Salesforce query client: simple-salesforce underneath, planpack's rules on top.

- TLS verification stays on; requests honours REQUESTS_CA_BUNDLE (and proxies)
  from the environment because the session trusts it.
- Every call has a timeout. Timeouts, dropped connections and 5xx answers are
  retried with exponential backoff a bounded number of times; what Salesforce
  refuses on purpose (a bad session, an exhausted API limit, a missing field)
  is never retried: retrying would only spend the org's limit.
- Pagination follows nextRecordsUrl one page at a time, so a retry repeats
  only the page that failed.
- Every message is built here from the error code, never from the library's
  text, and is redacted of every credential value before it leaves.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planpack.errors import PlanpackError
from planpack.salesforce.credentials import Credentials, redact

if TYPE_CHECKING:
    import requests
    from simple_salesforce.api import Salesforce


class SalesforceError(PlanpackError):
    """Salesforce refused, failed or could not be reached. Raised by the client."""

    exit_code = 1

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # in all, the first included
    backoff: float = 1.0  # seconds before the first retry, doubled after each
    timeout: float = 60.0  # seconds to connect, and between bytes of an answer
    sleep: Callable[[float], None] = time.sleep


def _session(timeout: float) -> requests.Session:
    import requests

    class TimeoutSession(requests.Session):
        """A requests session whose every call has a timeout, logins included."""

        api_requests = 0

        def request(self, method: str, url: str, *args: Any,  # type: ignore[override]
                    **kwargs: Any) -> requests.Response:
            kwargs.setdefault("timeout", timeout)
            if "/services/data/" in str(url):
                self.api_requests += 1
            return super().request(method, url, *args, **kwargs)

    return TimeoutSession()


class QueryClient:
    """Runs SOQL queries and returns every record, counting the API requests made."""

    def __init__(self, sf: Salesforce, secrets: list[str], policy: RetryPolicy) -> None:
        self.sf = sf
        self.secrets = secrets
        self.policy = policy

    @property
    def requests(self) -> int:
        return int(getattr(self.sf.session, "api_requests", 0))

    def records(self, soql: str) -> list[dict[str, Any]]:
        """All records of a query, following nextRecordsUrl, child results included."""
        page = self._call(lambda: self.sf.query(soql))
        out = list(_clean(page["records"]))
        while not page.get("done", True):
            page = self._more(page["nextRecordsUrl"])
            out += _clean(page["records"])
        for record in out:
            self._complete_children(record)
        return out

    def _complete_children(self, record: dict[str, Any]) -> None:
        """Child relationship results come in pages too: fetch the rest, flatten to a list."""
        for key, value in record.items():
            if isinstance(value, dict) and "records" in value and "totalSize" in value:
                children = list(_clean(value["records"]))
                while not value.get("done", True):
                    value = self._more(value["nextRecordsUrl"])
                    children += _clean(value["records"])
                record[key] = children

    def _more(self, url: str) -> Any:
        return self._call(lambda: self.sf.query_more(url, identifier_is_url=True))

    def _call(self, request: Callable[[], Any]) -> Any:
        return call_with_retries(request, self.policy, self.secrets)


def _clean(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Records without Salesforce's `attributes`, at every level."""
    for record in records:
        yield {k: _strip(v) for k, v in record.items() if k != "attributes"}


def _strip(value: Any) -> Any:
    if isinstance(value, dict) and "records" not in value:
        return {k: _strip(v) for k, v in value.items() if k != "attributes"}
    return value


def call_with_retries(request: Callable[[], Any], policy: RetryPolicy, secrets: list[str]) -> Any:
    """`request()`, retried on transient failures; any failure as a SalesforceError."""
    import requests
    from simple_salesforce.exceptions import SalesforceAuthenticationFailed
    from simple_salesforce.exceptions import SalesforceError as Sfe

    delay = policy.backoff
    for attempt in range(1, policy.attempts + 1):
        try:
            return request()
        except requests.exceptions.SSLError as exc:
            raise SalesforceError(
                "TLS",
                redact(
                    f"the TLS certificate of {_host(exc)} could not be verified; if your network "
                    "inspects TLS with its own certificate authority, point REQUESTS_CA_BUNDLE "
                    "at its certificate", secrets),
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            transient = _transient_reason(exc)
        except SalesforceAuthenticationFailed as exc:
            raise SalesforceError("LOGIN", redact(_login_message(exc), secrets)) from None
        except Sfe as exc:
            code, text = error_of(exc)
            if exc.status < 500:
                raise SalesforceError(code, redact(_refusal_message(code, text, exc.status),
                                                   secrets)) from None
            transient = f"{exc.status} {code}".strip()
        if attempt == policy.attempts:
            break
        policy.sleep(delay)
        delay *= 2
    raise SalesforceError(
        "UNAVAILABLE",
        redact(f"Salesforce did not answer after {policy.attempts} attempts ({transient}); "
               "try again later (https://status.salesforce.com)", secrets),
    )


def _host(exc: Exception) -> str:
    request = getattr(exc, "request", None)
    url = getattr(request, "url", "") or ""
    match = re.match(r"https?://([^/]+)", url)
    return match.group(1) if match else "Salesforce"


def _transient_reason(exc: Exception) -> str:
    import requests

    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out"
    return "the connection failed or was dropped"


def error_of(exc: Any) -> tuple[str, str]:
    """Salesforce's errorCode and message from an error response."""
    content = exc.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode", "")), str(content[0].get("message", ""))
    if isinstance(content, dict):
        return str(content.get("errorCode") or content.get("error", "")), str(
            content.get("message") or content.get("error_description", "")
        )
    return f"HTTP_{exc.status}", ""


_NO_SUCH_COLUMN = re.compile(r"No such column '([^']+)' on entity '([^']+)'")


def _refusal_message(code: str, text: str, status: int) -> str:
    if code == "INVALID_SESSION_ID":
        return ("Salesforce rejected the session (INVALID_SESSION_ID): the access token is "
                "wrong or has expired; get a new one and set SF_ACCESS_TOKEN again")
    if code == "REQUEST_LIMIT_EXCEEDED":
        return ("the org's Salesforce API request limit is used up (REQUEST_LIMIT_EXCEEDED); "
                "planpack stopped instead of retrying: pull again once the limit has reset")
    if code == "INVALID_FIELD":
        match = _NO_SUCH_COLUMN.search(text)
        field = f"{match.group(2)}.{match.group(1)}" if match else "a field planpack reads"
        return (f"this Salesforce org has no field {field}, or the integration user cannot "
                "see it (INVALID_FIELD); grant the user read access to it")
    if code == "NOT_FOUND" or status == 404:
        return ("Salesforce does not know this API resource (NOT_FOUND); check "
                "salesforce.api_version in planpack.yaml")
    if status == 414:
        return "a query was too long for Salesforce (414 URI Too Long)"
    first = text.strip().splitlines()[-1] if text.strip() else ""
    return f"Salesforce refused a request ({code or status}){': ' + first if first else ''}"


def _login_message(exc: Any) -> str:
    code = getattr(exc, "code", "") or ""
    return (f"the Salesforce login failed ({code}): check SF_USERNAME and the password, "
            "security token or key in the environment, and SF_DOMAIN (login, test or your "
            "My Domain)")


def connect(credentials: Credentials, api_version: str,
            policy: RetryPolicy | None = None) -> QueryClient:
    """A client logged in with `credentials`, for the given API version."""
    from simple_salesforce.api import Salesforce

    policy = policy or RetryPolicy()
    values = credentials.values
    session = _session(policy.timeout)

    def login() -> Salesforce:
        if credentials.method == "session":
            return Salesforce(instance_url=values["SF_INSTANCE_URL"],
                              session_id=values["SF_ACCESS_TOKEN"], version=api_version,
                              session=session)
        if credentials.method == "password":
            return Salesforce(username=values["SF_USERNAME"], password=values["SF_PASSWORD"],
                              security_token=values["SF_SECURITY_TOKEN"],
                              domain=credentials.domain, version=api_version, session=session)
        return Salesforce(username=values["SF_USERNAME"],
                          consumer_key=values["SF_CONSUMER_KEY"],
                          privatekey_file=values["SF_PRIVATE_KEY_FILE"],
                          domain=credentials.domain, version=api_version, session=session)

    sf = call_with_retries(login, policy, credentials.secrets)
    # A session a login obtained is as secret as what obtained it.
    return QueryClient(sf, [*credentials.secrets, str(sf.session_id)], policy)
