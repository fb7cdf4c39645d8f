"""Salesforce record Ids: shape, key prefix and the 18-character checksum.

A 15-character Id is case-sensitive. The 18-character form appends three
characters that encode, for each block of five, which letters are upper case,
so that a typo in the case (or anywhere) of a copied Id is caught offline.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

# The key prefixes of the objects a plan refers to.
PREFIXES = {"001": "Account", "003": "Contact", "006": "Opportunity", "005": "User"}


class InvalidId(ValueError):
    """An Id that cannot be a Salesforce Id of the expected object."""


def _a(noun: str) -> str:
    return ("an " if noun[0] in "AEIO" else "a ") + noun  # "a User", "an Account"


def checksum(id15: str) -> str:
    """The three-character suffix that turns a 15-character Id into 18."""
    suffix = []
    for block in range(3):
        bits = 0
        for offset, char in enumerate(id15[block * 5 : block * 5 + 5]):
            if "A" <= char <= "Z":
                bits |= 1 << offset
        suffix.append(_SUFFIX_ALPHABET[bits])
    return "".join(suffix)


def to18(value: str) -> str:
    """The 18-character form of a valid Id (unchanged if already 18)."""
    return value if len(value) == 18 else value + checksum(value)


def check(value: str, prefix: str) -> str:
    """Return `value` if it is a well-formed Id with key prefix `prefix`, else raise."""
    kind = PREFIXES.get(prefix, "record")
    if not _SHAPE.fullmatch(value):
        raise InvalidId(
            f"{value!r} is not a Salesforce Id: expected 15 or 18 letters and digits, "
            f"found {len(value)} characters"
            + ("" if value.isalnum() or not value else " including punctuation or spaces")
        )
    if not value.startswith(prefix):
        found = PREFIXES.get(value[:3])
        what = f"{_a(found)} Id" if found else f"an Id with key prefix {value[:3]!r}"
        raise InvalidId(f"{value} is {what}; expected {_a(kind)} Id, which starts with {prefix}")
    if len(value) == 18:
        expected = checksum(value[:15])
        if value[15:] != expected:
            raise InvalidId(
                f"{value} fails the 18-character checksum: the last three characters "
                f"should be {expected!r} for {value[:15]}; copy the Id again from Salesforce"
            )
    return value
