"""The input rules of the plan format, at the YAML layer.

Each test names the rule id, the line and column a user's editor would jump to,
and the wording that tells them what to do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL

from planpack.loader.plans import load_plan
from planpack.loader.yaml_reader import (
    MAX_BYTES,
    MAX_DEPTH,
    InputError,
    Mark,
    decode,
    parse,
    read_bytes,
)

WritePlan = Callable[..., Path]


def refused(text: str) -> InputError:
    """The InputError that parsing `text` raises."""
    with pytest.raises(InputError) as info:
        parse(text)
    return info.value


def refused_bytes(raw: bytes) -> InputError:
    with pytest.raises(InputError) as info:
        parse(decode(raw))
    return info.value


# --- YAML 1.2 core scalars ---------------------------------------------------


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "YES", "On", "OFF", "y", "n"])
def test_yaml_11_booleans_stay_strings(word: str) -> None:
    assert parse(f"value: {word}\n").data == {"value": word}


def test_norway_stays_norway_in_a_plan(write_plan: WritePlan) -> None:
    loaded = load_plan(write_plan(MINIMAL.replace("tier: 3", "tier: 3\n  region: NO")))
    assert loaded.findings == []
    assert loaded.plan is not None
    assert loaded.plan.account.region == "NO"


def test_a_yaml_11_boolean_where_a_number_belongs_is_reported_as_written(
    write_plan: WritePlan,
) -> None:
    loaded = load_plan(write_plan(MINIMAL.replace("tier: 3", "tier: no")), "plans/acme.yaml")
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column, finding.field) == (
        "schema-value", 4, 9, "account.tier"
    )
    assert finding.message == "found 'no', expected one of 1, 2 or 3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("null", None),
        ("Null", None),
        ("~", None),
        ("", None),
        ("12", 12),
        ("-3", -3),
        ("+12", 12),
        ("012", 12),  # YAML 1.2: decimal, not the 1.1 octal 10
        ("0x1F", 31),
        ("0o17", 15),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        ("1e3", 1000.0),
        ("1.", 1.0),
        (".5", 0.5),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("+.INF", math.inf),
    ],
)
def test_yaml_12_core_scalars(text: str, expected: object) -> None:
    value = parse(f"value: {text}\n").data["value"]
    assert value == expected
    assert type(value) is type(expected)


def test_nan_is_a_float() -> None:
    value = parse("value: .nan\n").data["value"]
    assert isinstance(value, float)
    assert math.isnan(value)


@pytest.mark.parametrize(
    "text",
    [
        "0b101",  # YAML 1.1 binary
        "1_000",  # YAML 1.1 digit separators
        "12:30",  # YAML 1.1 sexagesimal
        "0x",
        "1.2.3",
        "inf",
        "NaN",
        "2026-10-14",  # dates stay text: the models check them as calendar dates
        "2027-02-30",
        "2026-10-14T10:00:00",
        "2026-10-14 10:00:00",
    ],
)
def test_other_scalars_stay_strings(text: str) -> None:
    assert parse(f"value: {text}\n").data == {"value": text}


def test_quoted_numbers_stay_strings() -> None:
    assert parse("a: '12'\nb: \"true\"\n").data == {"a": "12", "b": "true"}


def test_an_explicit_bool_tag_on_other_text_keeps_the_text() -> None:
    # `!!bool yes` must not silently become false (nor `!!null x` nothing).
    assert parse("a: !!bool yes\nb: !!null x\nc: !!bool true\nd: !!null ~\n").data == {
        "a": "yes",
        "b": "x",
        "c": True,
        "d": None,
    }


# --- duplicate keys -------------------------------------------------------------


def test_duplicate_key_names_the_first_line() -> None:
    document = parse("name: Acme\ntier: 1\nname: Beta\n")
    [problem] = document.problems
    assert problem.rule == "yaml-duplicate-key"
    assert problem.mark == Mark(3, 1)
    assert problem.message == "duplicate key 'name'; it is first set at line 1"
    assert problem.fix == "remove one of them, or merge their values"
    assert problem.loc == ("name",)
    assert document.data == {"name": "Acme", "tier": 1}  # the first is kept, visibly


def test_every_duplicate_in_a_file_is_reported() -> None:
    document = parse("a: 1\nb: 1\na: 2\nc:\n  d: 1\n  d: 2\nb: 3\n")
    assert [(p.mark.line, p.mark.column, p.message) for p in document.problems] == [
        (3, 1, "duplicate key 'a'; it is first set at line 1"),
        (6, 3, "duplicate key 'd'; it is first set at line 5"),
        (7, 1, "duplicate key 'b'; it is first set at line 2"),
    ]
    assert [p.loc for p in document.problems] == [("a",), ("c", "d"), ("b",)]


def test_a_key_repeated_three_times_points_each_repeat_at_the_first() -> None:
    document = parse("a: 1\na: 2\na: 3\n")
    assert [(p.mark.line, p.message) for p in document.problems] == [
        (2, "duplicate key 'a'; it is first set at line 1"),
        (3, "duplicate key 'a'; it is first set at line 1"),
    ]


def test_keys_written_differently_with_one_value_are_duplicates_of_the_first() -> None:
    # `1:` and `01:` are the same key; the message points at the first one.
    [problem] = parse("tiers:\n  1: a\n  01: b\n").problems
    assert problem.mark == Mark(3, 3)
    assert problem.message == "duplicate key '01'; it is first set at line 2"


def test_duplicate_key_in_a_plan_has_the_field_path(write_plan: WritePlan) -> None:
    path = write_plan(
        MINIMAL
        + "actions:\n"
        + "  - title: First\n"
        + "    status: open\n"
        + "  - title: Second\n"
        + "    status: open\n"
        + "    status: done\n"
    )
    loaded = load_plan(path, "plans/acme.yaml")
    [finding] = loaded.findings
    assert (finding.file, finding.line, finding.column) == ("plans/acme.yaml", 12, 5)
    assert finding.rule == "yaml-duplicate-key"
    assert finding.field == "actions[1].status"
    assert finding.message == "duplicate key 'status'; it is first set at line 11"


def test_duplicate_in_a_flow_mapping() -> None:
    [problem] = parse("cells:\n  - {product: A, unit: B, product: C}\n").problems
    assert problem.mark == Mark(2, 27)
    assert problem.loc == ("cells", 0, "product")
    assert problem.message == "duplicate key 'product'; it is first set at line 2"


# --- aliases ----------------------------------------------------------------------


def _bomb(levels: int = 9, width: int = 9) -> tuple[str, int, int]:
    """A "billion laughs" file, with its written and expanded node counts."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    # Written: each level's list, the first level's scalars, the keys, the root.
    written = levels + width + levels + 1
    size = 1 + width  # the first list and its scalars
    expanded = 1 + levels  # the root and its keys
    for _ in range(levels):
        expanded += size
        size = 1 + width * size
    return "\n".join(lines) + "\n", written, expanded


def test_alias_bomb_is_refused_with_the_counts() -> None:
    text, written, expanded = _bomb()
    assert (written, expanded) == (28, 490_329_064)
    error = refused(text)
    assert error.rule == "yaml-alias"
    assert error.message == (
        f"aliases expand {written} written nodes into {expanded}, more than 10 times "
        "the file; refused to protect memory"
    )
    # It points at the anchor repeated most (a7's list, which a8 repeats nine times).
    assert error.mark == Mark(8, 5)
    assert error.fix == "write values out instead of repeating them through aliases"


def test_alias_bomb_in_a_plan_is_one_finding(write_plan: WritePlan) -> None:
    text, written, expanded = _bomb()
    loaded = load_plan(write_plan(text), "plans/acme.yaml")
    assert loaded.plan is None
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("yaml-alias", 8, 5)
    assert f"{written} written nodes into {expanded}" in finding.message


def test_a_recursive_alias_is_refused() -> None:
    error = refused("a: &loop\n  b: *loop\n")
    assert error.rule == "yaml-alias"
    assert error.message == "an alias refers to the mapping or list that contains it"
    assert error.mark == Mark(1, 4)  # the anchor &loop


def test_a_recursive_alias_in_a_list_is_refused() -> None:
    error = refused("x: 1\nitems: &s [1, *s]\n")
    assert error.rule == "yaml-alias"
    assert error.mark == Mark(2, 8)


def test_a_small_alias_is_accepted() -> None:
    document = parse("team: &team [a@example.com, b@example.com]\nattendees: *team\n")
    assert document.problems == []
    assert document.data == {
        "team": ["a@example.com", "b@example.com"],
        "attendees": ["a@example.com", "b@example.com"],
    }


def test_a_plan_may_reuse_a_list_through_an_alias(write_plan: WritePlan) -> None:
    loaded = load_plan(
        write_plan(
            MINIMAL
            + "reviews:\n"
            + "  - date: 2026-10-14\n"
            + "    kind: qbr\n"
            + "    attendees: &team [maria@example.com, omar@example.com]\n"
            + "  - date: 2026-11-12\n"
            + "    kind: checkin\n"
            + "    attendees: *team\n"
        )
    )
    assert loaded.findings == []
    assert loaded.plan is not None
    assert loaded.plan.reviews[1].attendees == ["maria@example.com", "omar@example.com"]


def test_an_alias_repeated_within_the_bound_is_accepted() -> None:
    # 10 copies of a 6-node list: well within 10x the written size.
    lines = ["base: &b [1, 2, 3, 4, 5]"] + [f"copy{i}: *b" for i in range(10)]
    document = parse("\n".join(lines) + "\n")
    assert document.data["copy9"] == [1, 2, 3, 4, 5]


# --- encoding -------------------------------------------------------------------------


def test_non_utf8_byte_is_located() -> None:
    error = refused_bytes(b"schema_version: 1\naccount:\n  name: Caf\xe9 Nord\n")
    assert error.rule == "file-encoding"
    assert error.message == "byte 0xE9 is not valid UTF-8"
    assert error.mark == Mark(3, 12)
    assert error.fix == "save the file as UTF-8"


def test_non_utf8_column_counts_characters_before_the_bad_byte() -> None:
    # "  name: École " is 14 characters (15 bytes): the bad byte is column 15.
    error = refused_bytes("a: 1\n  name: École ".encode() + b"\xff\n")
    assert error.mark == Mark(2, 15)
    assert error.message == "byte 0xFF is not valid UTF-8"


def test_non_utf8_in_a_plan_file(write_plan: WritePlan) -> None:
    path = write_plan(MINIMAL)
    path.write_bytes(MINIMAL.replace("Minimal Co", "Minimal Co – Nord").encode("cp1252"))
    loaded = load_plan(path, "plans/acme.yaml")
    assert loaded.plan is None
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("file-encoding", 3, 20)
    assert finding.message == "byte 0x96 is not valid UTF-8"


def test_utf8_bom_is_accepted(write_plan: WritePlan) -> None:
    path = write_plan(MINIMAL)
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    loaded = load_plan(path)
    assert loaded.findings == []
    assert loaded.plan is not None


def test_columns_on_the_first_line_ignore_the_bom() -> None:
    document = parse(decode(b"\xef\xbb\xbfschema_version: 2\n"))
    assert document.source.mark(("schema_version",)) == Mark(1, 17)
    error = refused_bytes(b"\xef\xbb\xbfname: \xff\n")
    assert error.mark == Mark(1, 7)


def test_a_control_character_is_located() -> None:
    error = refused("a: 1\nsummary: Zoë\x07s notes\n")
    assert error.rule == "yaml-syntax"
    assert error.message == (
        "the character U+0007 is not allowed in YAML: control characters are not allowed"
    )
    assert error.mark == Mark(2, 13)


# --- tabs -------------------------------------------------------------------------------


def test_tab_indentation() -> None:
    error = refused("account:\n\tname: Acme\n")
    assert error.rule == "yaml-tab"
    assert error.message == "a tab character where YAML needs spaces for indentation"
    assert error.mark == Mark(2, 1)
    assert error.fix == "indent with spaces (most editors can convert tabs to spaces)"


def test_tab_after_spaces_in_the_indentation() -> None:
    error = refused("account:\n  name: Acme\n  \ttier: 1\n")
    assert error.rule == "yaml-tab"
    assert error.mark == Mark(3, 3)


def test_tab_before_a_list_item() -> None:
    error = refused("actions:\n  - title: a\n\t- title: b\n")
    assert error.rule == "yaml-tab"
    assert error.mark.line == 3


def test_tab_inside_a_quoted_value_is_fine() -> None:
    assert parse('summary: "Q1\tQ2"\nnote: \'a\tb\'\n').data == {
        "summary": "Q1\tQ2",
        "note": "a\tb",
    }


def test_tab_inside_a_plain_value_and_before_a_comment_is_fine() -> None:
    assert parse("summary: Q1\tQ2\ntier: 1\t# one\n").data == {"summary": "Q1\tQ2", "tier": 1}


# --- empty, top level, size, unreadable ------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "\n\n", "   \n", "# a plan, one day\n# nothing yet\n", "---\n# empty\n"]
)
def test_empty_file(text: str) -> None:
    error = refused(text)
    assert error.rule == "file-empty"
    assert error.message == "the file holds no YAML document"
    assert error.mark == Mark(1, 1)
    assert error.fix == "start from a sample in plans/ or `planpack schema` for the format"


def test_empty_plan_file(write_plan: WritePlan) -> None:
    loaded = load_plan(write_plan("# to do\n"), "plans/acme.yaml")
    assert loaded.plan is None
    [finding] = loaded.findings
    assert (finding.file, finding.rule, finding.line, finding.column) == (
        "plans/acme.yaml", "file-empty", 1, 1
    )


def test_top_level_list(write_plan: WritePlan) -> None:
    loaded = load_plan(write_plan("- schema_version: 1\n- account: {}\n"))
    assert loaded.plan is None
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column, finding.field) == (
        "yaml-top-level", 1, 1, ""
    )
    assert finding.message == (
        "the top level is a list; a plan (schema_version:, account:, team:, ...) "
        "is a mapping of keys to values"
    )


def test_top_level_scalar(write_plan: WritePlan) -> None:
    loaded = load_plan(write_plan("\n# notes\nNorthwind Logistics\n"))
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("yaml-top-level", 3, 1)
    assert finding.message.startswith("the top level is a single value; a plan ")


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InputError) as info:
        read_bytes(path)
    assert info.value.rule == "file-too-large"
    assert info.value.message == (
        "the file is larger than the 1 MB cap; a plan is a few hundred lines"
    )
    assert info.value.mark == Mark(1, 1)


def test_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * (MAX_BYTES - 5))
    assert len(read_bytes(path)) == MAX_BYTES


def test_large_plan_file_is_one_finding(write_plan: WritePlan) -> None:
    path = write_plan(MINIMAL + "summary: " + "x" * (MAX_BYTES + 10) + "\n")
    loaded = load_plan(path)
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("file-too-large", 1, 1)


def test_a_folder_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "plan.yaml"
    folder.mkdir()
    loaded = load_plan(folder, "plans/plan.yaml")
    assert loaded.plan is None
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("file-unreadable", 1, 1)
    assert finding.message == "is a folder, not a file"


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    loaded = load_plan(tmp_path / "nowhere.yaml")
    [finding] = loaded.findings
    assert (finding.rule, finding.message) == ("file-unreadable", "no such file")


# --- syntax errors ------------------------------------------------------------------------


def test_unquoted_colon_in_a_value() -> None:
    error = refused("title: Q1: renewal\n")
    assert error.rule == "yaml-syntax"
    assert error.message == (
        "a ':' where YAML expected none; quote text that contains ': ' "
        '(for example title: "Q1: renewal")'
    )
    assert error.mark == Mark(1, 10)


def test_unquoted_colon_in_a_plan(write_plan: WritePlan) -> None:
    loaded = load_plan(write_plan(MINIMAL.replace("Minimal Co", "Minimal: Co")))
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("yaml-syntax", 3, 16)


def test_second_document() -> None:
    error = refused("schema_version: 1\n---\nschema_version: 1\n")
    assert error.rule == "yaml-syntax"
    assert error.message == (
        "the file holds more than one YAML document (a second '---'); one plan per file"
    )
    assert error.mark == Mark(2, 1)


def test_a_line_without_a_colon_points_at_that_line() -> None:
    error = refused("account:\n  name: Acme\n  tier\nteam: {}\n")
    assert error.rule == "yaml-syntax"
    assert error.message == (
        "a line that is neither 'key: value' nor '- item'; "
        "check the indentation and the ':' after the key"
    )
    assert error.mark == Mark(3, 3)


def test_a_last_line_without_a_colon_is_within_the_file() -> None:
    error = refused("a: 1\nb")
    assert error.mark == Mark(2, 1)


def test_an_error_at_the_end_of_a_file_without_a_final_newline_is_on_its_last_line() -> None:
    error = refused("a: 1\nproducts: [Fleet,")
    assert error.rule == "yaml-syntax"
    assert error.mark == Mark(2, 18)  # just after the last character


def test_misaligned_key() -> None:
    error = refused("account:\n  name: Acme\n tier: 1\n")
    assert error.message == "the indentation does not line up with the keys above"
    assert error.mark == Mark(3, 2)


def test_unclosed_quote_points_at_the_opening_quote() -> None:
    error = refused('summary: "Northwind runs\n\ntier: 1\n')
    assert error.message == "the file ends inside a quoted string or a bracket; close it"
    assert error.mark == Mark(1, 10)


def test_unclosed_bracket_points_at_the_bracket() -> None:
    error = refused("a: 1\nproducts: [Fleet, Route\nunits: []\n")
    assert error.message == (
        "a list in [brackets] is not closed, or its items are not separated by ','"
    )
    assert error.mark == Mark(2, 11)


def test_unclosed_brace() -> None:
    error = refused("cells:\n  - {product: A, unit: B\n")
    assert error.message == (
        "a mapping in {braces} is not closed, or its entries are not separated by ','"
    )
    assert error.mark == Mark(2, 5)


def test_undefined_alias() -> None:
    error = refused("a: 1\nb: *nowhere\n")
    assert error.message == "an alias (*name) refers to no anchor (&name)"
    assert error.mark == Mark(2, 4)


def test_duplicate_anchor() -> None:
    error = refused("a: &x 1\nb: &x 2\n")
    assert error.message == "the same anchor (&name) is defined twice"
    assert error.mark == Mark(2, 4)


def test_unknown_escape() -> None:
    error = refused('path: "C:\\qa"\n')
    assert error.message == (
        "a backslash escape in a double-quoted string that YAML does not know; "
        "use single quotes or write \\\\"
    )
    assert error.mark == Mark(1, 10)


def test_other_syntax_errors_keep_the_parser_wording() -> None:
    error = refused("a: 1\nb: @home\n")
    assert error.rule == "yaml-syntax"
    assert error.message == "invalid YAML: found character that cannot start any token"
    assert error.mark == Mark(2, 4)


# --- tags, keys, depth -------------------------------------------------------------------------


def test_python_object_tag_is_refused_and_not_run() -> None:
    document = parse("a: 1\nb: !!python/object/apply:os.system [echo pwned]\n")
    [problem] = document.problems
    assert problem.rule == "yaml-tag"
    assert problem.message == (
        "the tag '!!python/object/apply:os.system' is not supported; plans hold plain "
        "text, numbers, dates, lists and mappings"
    )
    assert problem.mark == Mark(2, 4)
    assert problem.loc == ("b",)
    assert document.data["b"] == ["echo pwned"]  # plain data, nothing constructed


def test_custom_tag_is_refused(write_plan: WritePlan) -> None:
    loaded = load_plan(write_plan(MINIMAL.replace("Minimal Co", "!custom Minimal Co")))
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column, finding.field) == (
        "yaml-tag", 3, 9, "account.name"
    )
    assert finding.message.startswith("the tag '!custom' is not supported")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("!!str 12", "12"), ("!!str yes", "yes"), ("!!int 7", 7), ("!!float 1", 1.0)],
)
def test_standard_scalar_tags_are_fine(text: str, expected: object) -> None:
    document = parse(f"value: {text}\n")
    assert document.problems == []
    assert document.data == {"value": expected}


def test_timestamp_and_binary_tags_are_refused() -> None:
    problems = parse("a: !!timestamp 2026-01-01\nb: !!binary aGk=\n").problems
    assert [(p.rule, p.mark) for p in problems] == [
        ("yaml-tag", Mark(1, 4)),
        ("yaml-tag", Mark(2, 4)),
    ]


def test_list_as_a_key() -> None:
    document = parse("a: 1\n? [x, y]\n: 2\n")
    [problem] = document.problems
    assert problem.rule == "yaml-key"
    assert problem.message == "a key must be plain text, found a list"
    assert problem.mark == Mark(2, 3)
    assert document.data == {"a": 1}


def test_mapping_as_a_nested_key_names_its_mapping() -> None:
    [problem] = parse("team:\n  ? {owner: x}\n  : 2\n").problems
    assert problem.rule == "yaml-key"
    assert problem.message == "a key must be plain text, found a mapping"
    assert problem.mark == Mark(2, 5)
    assert problem.loc == ("team",)


def test_nesting_deeper_than_the_limit() -> None:
    error = refused("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert error.rule == "yaml-depth"
    assert error.message == "nested more than 64 levels deep; no plan field is"
    assert error.mark == Mark(1, MAX_DEPTH + 1)


def test_nesting_at_the_limit_is_read() -> None:
    data = parse("[" * MAX_DEPTH + "]" * MAX_DEPTH).data
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


def test_deep_block_mappings() -> None:
    text = "root:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH + 5))
    error = refused(text)
    assert error.rule == "yaml-depth"
    assert error.mark == Mark(MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)


def test_nesting_beyond_the_parsers_own_bound_is_a_depth_error() -> None:
    error = refused("[" * 5000 + "]" * 5000)
    assert error.rule == "yaml-depth"
    assert error.message == "nested more than 64 levels deep; no plan field is"
    assert error.mark.line == 1


# --- columns and the source map -------------------------------------------------------------


def test_non_ascii_text_keeps_character_columns() -> None:
    error = refused("name: Zoë 😀 Ünal\nnote: Zoë: x\n")
    assert error.mark == Mark(2, 10)  # the second ':' on line 2, counted in characters


def test_source_map_columns_after_non_ascii_text() -> None:
    document = parse("x: [ä, ö, bad]\ny: {name: 😀😀, influence: hihg}\n")
    assert document.source.mark(("x", 2)) == Mark(1, 11)
    assert document.source.mark(("y", "influence")) == Mark(2, 26)
    assert document.source.mark(("y", "influence"), key=True) == Mark(2, 15)


PLAN_TEXT = """\
account:
  name: Acme
actions:
  - id: a
    status: open
  - id: b
    status: done
cells:
  - {product: A, unit: B}
"""


def test_source_map_marks_values_and_keys() -> None:
    source = parse(PLAN_TEXT).source
    assert source.mark(("actions", 1, "status")) == Mark(7, 13)
    assert source.mark(("actions", 1, "status"), key=True) == Mark(7, 5)
    assert source.mark(("actions", 1)) == Mark(6, 5)
    assert source.mark(("actions",)) == Mark(4, 3)
    assert source.mark(("account", "name"), key=True) == Mark(2, 3)
    assert source.mark(("cells", 0, "unit")) == Mark(9, 24)
    assert source.mark(("cells", 0, "unit"), key=True) == Mark(9, 18)
    assert source.mark(()) == Mark(1, 1)


def test_source_map_falls_back_to_the_deepest_written_part() -> None:
    source = parse(PLAN_TEXT).source
    # actions[5] does not exist: point at the actions list.
    assert source.mark(("actions", 5, "due")) == Mark(4, 3)
    # account.tier is not written: point at the account mapping, even for its key.
    assert source.mark(("account", "tier"), key=True) == Mark(2, 3)
    node, depth = source.node_at(("actions", 1, "missing"))
    assert depth == 2
    assert node is not None
    assert source.path_of(node) == ("actions", 1)
