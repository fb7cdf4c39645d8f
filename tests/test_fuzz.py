"""No input makes the loader crash: every broken file becomes located findings.

The mutations are the ones hand editing produces: lines deleted, duplicated or
swapped, stray characters (YAML's indicators, tabs, quotes), bytes from another
encoding, a file cut short.
"""

from __future__ import annotations

from pathlib import Path

from conftest import AS_OF, COMPLETE_TIER1
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planpack.check import locate
from planpack.findings import Severity
from planpack.governance import CheckContext, check_plan
from planpack.health import score_plan
from planpack.loader.plans import load_plan
from planpack.loader.yaml_reader import InputError, parse
from planpack.models.program import default_program
from planpack.rules import RULES

VALID = COMPLETE_TIER1.encode("utf-8")

# Characters with a meaning in YAML, and a few that trip parsers.
SPECIAL = [*":-?,[]{}#&*!|>'\"%@`\t \n", "\r\n", "  ", "- ", ": ", "<<: ", "é", "😀"]
FRAGMENTS = st.one_of(
    st.sampled_from(SPECIAL),
    st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=6).map("".join),
    st.text(max_size=8),
).map(lambda text: text.encode("utf-8"))
BAD_BYTES = st.binary(min_size=1, max_size=3).filter(lambda raw: not _is_utf8(raw))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@st.composite
def mutated_plans(draw: st.DrawFn) -> bytes:
    lines = VALID.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(
            st.sampled_from(["delete", "duplicate", "swap", "insert", "bytes", "truncate"])
        )
        if not lines:
            lines = [b""]
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind in ("insert", "bytes"):
            piece = draw(FRAGMENTS if kind == "insert" else BAD_BYTES)
            at = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines[i] = lines[i][:at] + piece + lines[i][at:]
        else:
            text = b"".join(lines)
            cut = draw(st.integers(min_value=0, max_value=len(text)))
            lines = text[:cut].splitlines(keepends=True)
    return b"".join(lines)


def _line_count(raw: bytes) -> int:
    """How many lines an editor shows (the last one may be empty)."""
    return len((raw.decode("utf-8", errors="replace") + "x").splitlines())


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=mutated_plans())
def test_a_mutated_plan_loads_or_is_reported(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    loaded = load_plan(path, "plans/fuzz.yaml")
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    assert loaded.plan is not None or errors
    for finding in loaded.findings:
        assert finding.file == "plans/fuzz.yaml"
        assert finding.rule in RULES
        assert finding.message
        assert finding.line >= 1
        assert finding.column >= 1
        assert finding.line <= _line_count(raw), (finding, raw)
    if loaded.plan is not None:  # what loads, the later stages take without raising
        ctx = CheckContext(default_program(), AS_OF)
        for problem in check_plan(loaded.plan, ctx):
            assert problem.rule in RULES
            assert locate(loaded, problem).line >= 1
        assert 0 <= score_plan(loaded.plan, ctx).score <= 100


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([*SPECIAL, *"abc01 "]), max_size=40).map("".join))
def test_parse_yaml_like_text_raises_only_input_error(text: str) -> None:
    _parse_or_input_error(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_parse_any_text_raises_only_input_error(text: str) -> None:
    _parse_or_input_error(text)


def _parse_or_input_error(text: str) -> None:
    lines = _line_count(text.encode("utf-8"))
    try:
        document = parse(text)
    except InputError as error:
        assert error.rule in RULES
        assert 1 <= error.mark.line <= lines
        assert error.mark.column >= 1
        return
    for problem in document.problems:
        assert problem.rule in RULES
        assert 1 <= problem.mark.line <= lines
        assert problem.mark.column >= 1
