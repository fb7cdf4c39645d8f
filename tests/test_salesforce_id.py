"""Salesforce Ids: the 18-character checksum, to18, and check()'s messages."""

from __future__ import annotations

import pytest

from planpack import salesforce_id
from planpack.salesforce_id import InvalidId, check, checksum, to18


def reference_suffix(id15: str) -> str:
    """The documented algorithm, written out independently of planpack.

    Split the 15 characters into three blocks of five. In each block, the
    character at position i (0-4, left to right) sets bit i when it is an
    upper-case letter A-Z. Each block's number 0-31 picks one character of
    A-Z followed by 0-5.
    """
    alphabet = [chr(ord("A") + n) for n in range(26)] + [str(n) for n in range(6)]
    suffix = ""
    for start in (0, 5, 10):
        number = 0
        for position in range(5):
            char = id15[start + position]
            if char.isascii() and char.isupper():
                number += 2**position
        suffix += alphabet[number]
    return suffix


# Known pairs: the spec's examples, and Ids as they appear in Salesforce URLs.
KNOWN = [
    ("001Dn00000Abc12", "IAB"),
    ("003Dn00000Xyz34", "IAB"),
    ("006Dn00000Opp01", "IAB"),
    ("0015000000VALDt", "AAP"),
    ("a0D30000001n7Pu", "EAI"),
    ("000000000000000", "AAA"),
    ("00000ZZZZZ00000", "A5A"),
    ("AAAAAAAAAAAAAAA", "555"),
]


@pytest.mark.parametrize(("id15", "suffix"), KNOWN)
def test_checksum_of_known_ids(id15: str, suffix: str) -> None:
    assert reference_suffix(id15) == suffix
    assert checksum(id15) == suffix


@pytest.mark.parametrize(
    "id15",
    [
        "0035g00000XyZaB",
        "0065e00000AbCdE",
        "001Hs00003QwErT",
        "005Dn000001aBcD",
        "a1B2c3D4e5F6g7H",
    ],
)
def test_checksum_matches_the_reference(id15: str) -> None:
    assert checksum(id15) == reference_suffix(id15)


def test_checksum_bits_follow_position_within_each_block() -> None:
    # One capital at each position of the first block: bits 1, 2, 4, 8, 16.
    assert [checksum("0" * i + "Q" + "0" * (14 - i))[0] for i in range(5)] == list("BCEIQ")
    # Lower case and digits never set a bit.
    assert checksum("abcde12345fghij") == "AAA"


def test_to18_appends_the_checksum() -> None:
    assert to18("001Dn00000Abc12") == "001Dn00000Abc12IAB"
    assert to18("0015000000VALDt") == "0015000000VALDtAAP"


def test_to18_leaves_an_18_character_id_unchanged() -> None:
    assert to18("001Dn00000Abc12IAB") == "001Dn00000Abc12IAB"


def test_two_ids_differing_only_in_case_have_different_18_character_forms() -> None:
    assert to18("001Dn00000Abc12") != to18("001Dn00000ABc12")
    assert to18("001Dn00000Abc12").lower() != to18("001Dn00000ABc12").lower()


def test_check_returns_a_valid_id() -> None:
    assert check("001Dn00000Abc12", "001") == "001Dn00000Abc12"
    assert check("001Dn00000Abc12IAB", "001") == "001Dn00000Abc12IAB"
    assert check("006Dn00000Opp01IAB", "006") == "006Dn00000Opp01IAB"


def invalid(value: str, prefix: str) -> str:
    with pytest.raises(InvalidId) as info:
        check(value, prefix)
    return str(info.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "001Dn00000Abc1",
            "'001Dn00000Abc1' is not a Salesforce Id: expected 15 or 18 letters and digits, "
            "found 14 characters",
        ),
        (
            "001Dn00000Abc12IA",
            "'001Dn00000Abc12IA' is not a Salesforce Id: expected 15 or 18 letters and digits, "
            "found 17 characters",
        ),
        (
            "",
            "'' is not a Salesforce Id: expected 15 or 18 letters and digits, "
            "found 0 characters",
        ),
        (
            "001Dn 0000Abc12",
            "'001Dn 0000Abc12' is not a Salesforce Id: expected 15 or 18 letters and digits, "
            "found 15 characters including punctuation or spaces",
        ),
    ],
)
def test_check_refuses_the_wrong_shape(value: str, message: str) -> None:
    assert invalid(value, "001") == message


def test_check_names_the_object_an_id_belongs_to() -> None:
    assert invalid("003Dn00000Xyz34IAB", "001") == (
        "003Dn00000Xyz34IAB is a Contact Id; expected an Account Id, which starts with 001"
    )
    assert invalid("001Dn00000Abc12", "006") == (
        "001Dn00000Abc12 is an Account Id; expected an Opportunity Id, which starts with 006"
    )
    assert invalid("006Dn00000Opp01", "003") == (
        "006Dn00000Opp01 is an Opportunity Id; expected a Contact Id, which starts with 003"
    )
    assert invalid("005Dn000001aBcD", "001") == (
        "005Dn000001aBcD is a User Id; expected an Account Id, which starts with 001"
    )


def test_check_gives_an_unknown_key_prefix() -> None:
    assert invalid("00QDn00000Lead1", "001") == (
        "00QDn00000Lead1 is an Id with key prefix '00Q'; expected an Account Id, "
        "which starts with 001"
    )


def test_check_verifies_the_18_character_checksum() -> None:
    assert invalid("001Dn00000Abc12IAC", "001") == (
        "001Dn00000Abc12IAC fails the 18-character checksum: the last three characters "
        "should be 'IAB' for 001Dn00000Abc12; copy the Id again from Salesforce"
    )


def test_check_catches_a_case_typo_in_an_18_character_id() -> None:
    message = invalid("001Dn00000ABc12IAB", "001")
    assert message.startswith("001Dn00000ABc12IAB fails the 18-character checksum")
    assert f"should be {reference_suffix('001Dn00000ABc12')!r}" in message


def test_invalid_id_is_a_value_error() -> None:
    assert issubclass(InvalidId, ValueError)


def test_prefixes_cover_the_objects_a_plan_refers_to() -> None:
    assert salesforce_id.PREFIXES == {
        "001": "Account",
        "003": "Contact",
        "006": "Opportunity",
        "005": "User",
    }
