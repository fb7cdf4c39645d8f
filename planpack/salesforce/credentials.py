"""Salesforce credentials from the environment, and keeping them out of every message.

Three ways in, as the README documents:
  - a session: SF_INSTANCE_URL and SF_ACCESS_TOKEN;
  - a password: SF_USERNAME, SF_PASSWORD, SF_SECURITY_TOKEN [SF_DOMAIN];
  - JWT: SF_USERNAME, SF_CONSUMER_KEY, SF_PRIVATE_KEY_FILE [SF_DOMAIN].
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from planpack.errors import PlanpackError

SESSION = ("SF_INSTANCE_URL", "SF_ACCESS_TOKEN")
PASSWORD = ("SF_USERNAME", "SF_PASSWORD", "SF_SECURITY_TOKEN")
JWT = ("SF_USERNAME", "SF_CONSUMER_KEY", "SF_PRIVATE_KEY_FILE")
ALL = ("SF_INSTANCE_URL", "SF_ACCESS_TOKEN", "SF_USERNAME", "SF_PASSWORD",
       "SF_SECURITY_TOKEN", "SF_DOMAIN", "SF_CONSUMER_KEY", "SF_PRIVATE_KEY_FILE")

HOW = (
    "set SF_INSTANCE_URL and SF_ACCESS_TOKEN; or SF_USERNAME, SF_PASSWORD and "
    "SF_SECURITY_TOKEN; or SF_USERNAME, SF_CONSUMER_KEY and SF_PRIVATE_KEY_FILE for JWT"
)


class CredentialsError(PlanpackError):
    """Missing or contradictory credentials: a usage error (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Credentials:
    method: str  # "session", "password" or "jwt"
    values: Mapping[str, str] = field(repr=False)  # never printed
    domain: str = "login"

    @property
    def secrets(self) -> list[str]:
        """What must never appear in output: every value but the public ones."""
        public = {"SF_INSTANCE_URL", "SF_DOMAIN", "SF_USERNAME"}
        return [v for k, v in self.values.items() if k not in public and v]

    def __repr__(self) -> str:
        return f"Credentials(method={self.method!r}, domain={self.domain!r})"


def from_environment(env: Mapping[str, str] | None = None) -> Credentials:
    """The one way in the environment describes, or a CredentialsError saying what to set."""
    env = os.environ if env is None else env
    given = {name: env[name] for name in ALL if env.get(name)}
    ways = {
        "session": all(name in given for name in SESSION),
        "password": all(name in given for name in PASSWORD),
        "jwt": all(name in given for name in JWT),
    }
    chosen = [way for way, complete in ways.items() if complete]
    if len(chosen) > 1:
        raise CredentialsError(
            "contradictory Salesforce credentials: the environment sets both "
            f"{' and '.join(chosen)} credentials; unset one set"
        )
    if not chosen:
        if not given:
            raise CredentialsError(f"no Salesforce credentials in the environment: {HOW}")
        raise CredentialsError(_incomplete(given))
    method = chosen[0]
    stray = {
        "session": ("SF_PASSWORD", "SF_SECURITY_TOKEN", "SF_CONSUMER_KEY", "SF_PRIVATE_KEY_FILE"),
        "password": ("SF_ACCESS_TOKEN", "SF_CONSUMER_KEY", "SF_PRIVATE_KEY_FILE"),
        "jwt": ("SF_ACCESS_TOKEN", "SF_PASSWORD", "SF_SECURITY_TOKEN"),
    }[method]
    extra = [name for name in stray if name in given]
    if extra:
        raise CredentialsError(
            f"contradictory Salesforce credentials: {method} credentials are set, and so is "
            f"{', '.join(extra)}; unset what you do not use"
        )
    if method == "session":
        _check_instance_url(given["SF_INSTANCE_URL"])
    if method == "jwt" and not Path(given["SF_PRIVATE_KEY_FILE"]).is_file():
        raise CredentialsError(
            f"SF_PRIVATE_KEY_FILE names no readable file: {given['SF_PRIVATE_KEY_FILE']}"
        )
    return Credentials(method, given, _domain(given.get("SF_DOMAIN", "login")))


def _incomplete(given: Mapping[str, str]) -> str:
    best = max((SESSION, PASSWORD, JWT), key=lambda way: sum(name in given for name in way))
    missing = [name for name in best if name not in given]
    return f"incomplete Salesforce credentials: {', '.join(missing)} is not set ({HOW})"


def _check_instance_url(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        raise CredentialsError(
            "SF_INSTANCE_URL must be an https:// address such as "
            "https://yourcompany.my.salesforce.com"
        )


def _domain(value: str) -> str:
    """`login`, `test` or a My Domain, however written: acme.my, acme.my.salesforce.com."""
    host = re.sub(r"^https?://", "", value.strip()).split("/")[0]
    host = host.removesuffix(".salesforce.com")
    if not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*", host):
        raise CredentialsError(
            f"SF_DOMAIN should be login, test or your My Domain (such as acme.my), not {value!r}"
        )
    return host


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret replaced, whatever a library put in its messages."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
