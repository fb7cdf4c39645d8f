"""Credentials from the environment: the three ways in, and every way of getting it wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from planpack.salesforce.credentials import CredentialsError, from_environment, redact

SESSION = {"SF_INSTANCE_URL": "https://acme.my.salesforce.com",
           "SF_ACCESS_TOKEN": "00Dxx0000001gPL!AQ4AQFakeSessionToken"}
PASSWORD = {"SF_USERNAME": "ops@acme.example", "SF_PASSWORD": "hunter2-secret",
            "SF_SECURITY_TOKEN": "Tok3nTok3n"}


def test_a_session(tmp_path: Path) -> None:
    credentials = from_environment(SESSION)
    assert credentials.method == "session"
    assert credentials.secrets == [SESSION["SF_ACCESS_TOKEN"]]


def test_a_password_with_the_default_domain() -> None:
    credentials = from_environment(PASSWORD)
    assert (credentials.method, credentials.domain) == ("password", "login")
    assert sorted(credentials.secrets) == sorted(["hunter2-secret", "Tok3nTok3n"])


@pytest.mark.parametrize(("given", "domain"), [
    ("test", "test"), ("acme.my", "acme.my"), ("acme.my.salesforce.com", "acme.my"),
    ("https://acme.my.salesforce.com/", "acme.my"),
])
def test_the_domain_however_written(given: str, domain: str) -> None:
    assert from_environment({**PASSWORD, "SF_DOMAIN": given}).domain == domain


def test_jwt_needs_a_key_file(tmp_path: Path) -> None:
    key = tmp_path / "server.key"
    key.write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    env = {"SF_USERNAME": "ops@acme.example", "SF_CONSUMER_KEY": "3MVG9consumer",
           "SF_PRIVATE_KEY_FILE": str(key)}
    assert from_environment(env).method == "jwt"
    env["SF_PRIVATE_KEY_FILE"] = str(tmp_path / "missing.key")
    with pytest.raises(CredentialsError) as error:
        from_environment(env)
    assert str(error.value) == f"SF_PRIVATE_KEY_FILE names no readable file: {tmp_path}/missing.key"


def test_no_credentials_says_what_to_set() -> None:
    with pytest.raises(CredentialsError) as error:
        from_environment({"HOME": "/root"})
    assert error.value.exit_code == 2
    assert str(error.value) == (
        "no Salesforce credentials in the environment: set SF_INSTANCE_URL and "
        "SF_ACCESS_TOKEN; or SF_USERNAME, SF_PASSWORD and SF_SECURITY_TOKEN; or SF_USERNAME, "
        "SF_CONSUMER_KEY and SF_PRIVATE_KEY_FILE for JWT"
    )


def test_incomplete_credentials_name_what_is_missing() -> None:
    with pytest.raises(CredentialsError) as error:
        from_environment({"SF_USERNAME": "ops@acme.example", "SF_PASSWORD": "hunter2-secret"})
    assert str(error.value).startswith(
        "incomplete Salesforce credentials: SF_SECURITY_TOKEN is not set"
    )
    assert "hunter2-secret" not in str(error.value)


@pytest.mark.parametrize(("extra", "message"), [
    (PASSWORD, "contradictory Salesforce credentials: the environment sets both session and "
               "password credentials; unset one set"),
    ({"SF_PASSWORD": "hunter2-secret"},
     "contradictory Salesforce credentials: session credentials are set, and so is "
     "SF_PASSWORD; unset what you do not use"),
])
def test_contradictory_credentials(extra: dict[str, str], message: str) -> None:
    with pytest.raises(CredentialsError) as error:
        from_environment({**SESSION, **extra})
    assert str(error.value) == message
    assert error.value.exit_code == 2


def test_an_instance_url_must_be_https() -> None:
    with pytest.raises(CredentialsError) as error:
        from_environment({**SESSION, "SF_INSTANCE_URL": "http://acme.my.salesforce.com"})
    assert "must be an https:// address" in str(error.value)


def test_a_bad_domain() -> None:
    with pytest.raises(CredentialsError) as error:
        from_environment({**PASSWORD, "SF_DOMAIN": "acme my"})
    assert str(error.value) == (
        "SF_DOMAIN should be login, test or your My Domain (such as acme.my), not 'acme my'"
    )


def test_credentials_never_print_their_values() -> None:
    credentials = from_environment(PASSWORD)
    assert "hunter2" not in repr(credentials) and "Tok3n" not in repr(credentials)
    text = "login failed for ops@acme.example with hunter2-secret and Tok3nTok3n"
    assert redact(text, credentials.secrets) == "login failed for ops@acme.example with *** and ***"
