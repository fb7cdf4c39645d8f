"""Reading YAML the way the plan format says: safely, strictly, with marks.

PyYAML's C parser composes the node tree (every node carries its line and
column); a small constructor of our own turns nodes into plain data. That is
where the format's input rules live:

- YAML 1.2 core scalars: `yes`, `no`, `on`, `off` stay strings, and dates stay
  strings for the models to check as calendar dates;
- duplicate keys are errors (PyYAML keeps the last one silently);
- aliases are bounded: the expanded tree may not outgrow the written one by more
  than `ALIAS_EXPANSION`, so a "billion laughs" file is refused in milliseconds;
- only standard scalar tags; no merge keys, no Python objects.

The node tree is kept beside the data. Line marks for a field are looked up in
it only when a finding needs them (see SourceMap).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planpack.findings import Loc

try:  # The C parser is ~10x faster; fall back where libyaml is missing.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
ALIAS_EXPANSION = 10  # expanded nodes per written node, beyond a small allowance
ALIAS_ALLOWANCE = 100

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


_WORDS = {
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), _BOOL),
    **dict.fromkeys(("~", "null", "Null", "NULL", ""), _NULL),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
                     "-.INF", ".nan", ".NaN", ".NAN"), _FLOAT),
}
_INT_PATTERN = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_PATTERN = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NUMBER_START = frozenset("-+0123456789.")


class _CoreResolver:
    """The YAML 1.2 core schema's implicit types, nothing from YAML 1.1.

    The C parser calls these three methods for every node, so they are kept
    to a dictionary lookup and, for what may be a number, one regex.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                tag = _WORDS.get(value)
                if tag is not None:
                    return tag
                if value[0] in _NUMBER_START:
                    if _INT_PATTERN.fullmatch(value):
                        return _INT
                    if _FLOAT_PATTERN.fullmatch(value):
                        return _FLOAT
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Composer(_Parser, _CoreResolver):
    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


class InputError(Exception):
    """A file that cannot become data: one finding, and no data."""

    def __init__(self, rule: str, message: str, mark: Mark, fix: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.mark = mark
        self.fix = fix


@dataclass(frozen=True, slots=True)
class MarkedProblem:
    """A problem found while loading, already placed in the file: a duplicate key,
    or a schema error. It does not stop the rest of the file being checked."""

    rule: str
    loc: Loc
    message: str
    mark: Mark
    fix: str | None = None


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class SourceMap:
    """Finds the line and column of a field path in the composed node tree."""

    def __init__(self, root: Node | None) -> None:
        self.root = root

    def node_at(self, loc: Loc) -> tuple[Node | None, int]:
        """The deepest node along `loc`, and how many parts of `loc` it resolved."""
        node = self.root
        depth = 0
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
            depth += 1
        return node, depth

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Where `loc` is written: its value, or its key when `key` is set."""
        if key and loc:
            parent, depth = self.node_at(loc[:-1])
            if depth == len(loc) - 1 and isinstance(parent, MappingNode):
                for knode, _ in parent.value:
                    if _key_text(knode) == str(loc[-1]):
                        return _mark(knode)
        node, _ = self.node_at(loc)
        return _mark(node) if node is not None else Mark(1, 1)

    def path_of(self, target: Node) -> Loc:
        """The field path of a node (used only when reporting it)."""
        stack: list[tuple[Node, Loc]] = [(self.root, ())] if self.root is not None else []
        while stack:
            node, loc = stack.pop()
            if node is target:
                return loc
            if isinstance(node, MappingNode):
                for knode, vnode in node.value:
                    if knode is target:
                        return (*loc, _key_text(knode))
                    stack.append((vnode, (*loc, _key_text(knode))))
            elif isinstance(node, SequenceNode):
                stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
        return ()


def _key_text(node: Node) -> str:
    return node.value if isinstance(node, ScalarNode) else "?"


def _child(node: Node | None, part: str | int) -> Node | None:
    if isinstance(node, MappingNode):
        wanted = str(part)
        for knode, vnode in node.value:
            if isinstance(knode, ScalarNode) and knode.value == wanted:
                value: Node = vnode
                return value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: Node = node.value[part]
        return child
    return None


@dataclass
class Document:
    """A file read as data, with its node tree for locating findings."""

    data: Any
    source: SourceMap
    problems: list[MarkedProblem] = field(default_factory=list)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what no plan can be before reading it whole."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError("file-unreadable", "is a folder, not a file", Mark(1, 1)) from None
    except FileNotFoundError:
        raise InputError("file-unreadable", "no such file", Mark(1, 1)) from None
    except OSError as exc:
        raise InputError(
            "file-unreadable", f"cannot be read: {exc.strerror or exc}", Mark(1, 1)
        ) from None
    return check_size(raw)


def check_size(raw: bytes) -> bytes:
    """`raw`, unless it is over the size cap."""
    if len(raw) > MAX_BYTES:
        raise InputError(
            "file-too-large",
            f"the file is larger than the {MAX_BYTES // (1024 * 1024)} MB cap; "
            "a plan is a few hundred lines",
            Mark(1, 1),
            fix="split it, or remove pasted data (Salesforce data belongs in snapshots)",
        )
    return raw


def decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        # Count characters, not bytes, before the bad byte (as editors do).
        before = raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")
        column = len(before.removeprefix("\ufeff") if line == 1 else before) + 1
        raise InputError(
            "file-encoding",
            f"byte 0x{raw[exc.start]:02X} is not valid UTF-8",
            Mark(line, column),
            fix="save the file as UTF-8",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str) -> Document:
    """YAML text to data, by the plan format's input rules."""
    try:
        root = _Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError("yaml-syntax", str(exc), Mark(1, 1)) from None
    if root is None or (isinstance(root, ScalarNode) and root.value == "" and root.tag == _NULL):
        # No document, or only `---` and comments.
        raise InputError(
            "file-empty",
            "the file holds no YAML document",
            Mark(1, 1),
            fix="start from a sample in plans/ or `planpack schema` for the format",
        )
    if "*" in text:  # only a file with an alias can expand
        _check_expansion(root)
    builder = _Builder()
    data = builder.build(root, 0)
    source = SourceMap(root)
    problems = [
        MarkedProblem(rule, source.path_of(node) if node is not None else (), message, mark, fix)
        for rule, message, mark, node, fix in builder.problems
    ]
    return Document(data, source, problems)


class _Builder:
    """Nodes to Python data, collecting per-key problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str, Mark, Node | None, str | None]] = []

    def build(self, node: Node, depth: int) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if depth >= MAX_DEPTH:
            raise InputError(
                "yaml-depth",
                f"nested more than {MAX_DEPTH} levels deep; no plan field is",
                _mark(node),
            )
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.bad_tag(node)
            return [self.build(item, depth + 1) for item in node.value]
        if not isinstance(node, MappingNode):  # pragma: no cover - no other node kinds
            raise TypeError(node)
        if node.tag != _MAP:
            self.bad_tag(node)
        out: dict[Any, Any] = {}
        first_keys: dict[Any, Node] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode):
                self.problems.append(
                    (
                        "yaml-key",
                        "a key must be plain text, found a "
                        + ("list" if isinstance(knode, SequenceNode) else "mapping"),
                        _mark(knode),
                        node,
                        "use a plain word as the key",
                    )
                )
                continue
            key = self.scalar(knode)
            if key in out:
                # By value, not text: `1:` and `01:`, `true:` and `True:` are one key.
                first = first_keys[key]
                self.problems.append(
                    (
                        "yaml-duplicate-key",
                        f"duplicate key {knode.value!r}; it is first set at line "
                        f"{first.start_mark.line + 1}",
                        _mark(knode),
                        knode,
                        "remove one of them, or merge their values",
                    )
                )
                continue
            first_keys[key] = knode
            out[key] = self.build(vnode, depth + 1)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        value: str = node.value
        if tag == _STR:
            return value
        try:
            if tag == _INT:
                if value.startswith(("0x", "0o")):
                    return int(value[2:], 16 if value[1] == "x" else 8)
                return int(value)
            if tag == _FLOAT:
                lowered = value.lower()
                if lowered.endswith((".inf", ".nan")):
                    return float(lowered.replace(".", ""))
                return float(value)
        except ValueError:  # an integer too long for Python to convert
            return value
        # An explicit tag on text that is not of its type (`!!bool yes`) keeps the
        # text, for the schema to report, rather than becoming false or null.
        if tag == _BOOL and _WORDS.get(value) == _BOOL:
            return value in ("true", "True", "TRUE")
        if tag == _NULL and _WORDS.get(value) == _NULL:
            return None
        if tag in (_BOOL, _NULL):
            return value
        self.bad_tag(node)
        return value

    def bad_tag(self, node: Node) -> None:
        self.problems.append(
            (
                "yaml-tag",
                f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not supported; "
                "plans hold plain text, numbers, "
                "dates, lists and mappings",
                _mark(node),
                node,
                "remove the tag",
            )
        )


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: Node) -> None:
    """Refuse recursive aliases and trees that expand far beyond what is written."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            active.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes:
            continue
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in active:
                raise InputError(
                    "yaml-alias",
                    "an alias refers to the mapping or list that contains it",
                    _mark(child),
                    fix="write the value out instead of using an alias",
                )
            if id(child) not in sizes:
                stack.append((child, False))
    written = len(sizes)
    expanded = sizes[id(root)]
    if expanded > ALIAS_EXPANSION * written + ALIAS_ALLOWANCE:
        shared = max(
            (n for n in _walk_unique(root) if not isinstance(n, ScalarNode)),
            key=lambda n: sizes[id(n)],
            default=root,
        )
        raise InputError(
            "yaml-alias",
            f"aliases expand {written} written nodes into {expanded}, more than "
            f"{ALIAS_EXPANSION} times the file; refused to protect memory",
            _mark(shared) if shared is not root else Mark(1, 1),
            fix="write values out instead of repeating them through aliases",
        )


def _walk_unique(root: Node) -> list[Node]:
    """Nodes that are reached more than once: the targets of aliases."""
    seen: set[int] = set()
    repeated: dict[int, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            repeated[id(node)] = node
            continue
        seen.add(id(node))
        stack.extend(_children(node))
    return list(repeated.values())


_FRIENDLY = [
    ("mapping values are not allowed", "a ':' where YAML expected none; quote text "
     "that contains ': ' (for example title: \"Q1: renewal\")"),
    ("could not find expected ':'", "a line that is neither 'key: value' nor '- item'; "
     "check the indentation and the ':' after the key"),
    ("did not find expected key", "the indentation does not line up with the keys above"),
    ("did not find expected '-' indicator", "a list item is indented differently from "
     "the items before it"),
    ("found undefined alias", "an alias (*name) refers to no anchor (&name)"),
    ("found duplicate anchor", "the same anchor (&name) is defined twice"),
    ("expected a single document", "the file holds more than one YAML document (a second "
     "'---'); one plan per file"),
    ("found unexpected end of stream", "the file ends inside a quoted string or a "
     "bracket; close it"),
    ("found unknown escape character", "a backslash escape in a double-quoted string that "
     "YAML does not know; use single quotes or write \\\\"),
    ("did not find expected ',' or ']'", "a list in [brackets] is not closed, or its items "
     "are not separated by ','"),
    ("did not find expected ',' or '}'", "a mapping in {braces} is not closed, or its "
     "entries are not separated by ','"),
]

# Problems libyaml notices only after the line at fault (often at the end of the
# file): the line at fault is where the key, quote or bracket started.
_AT_CONTEXT = (
    "could not find expected ':'",
    "found unexpected end of stream",
    "did not find expected ',' or",
)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    where = _where(mark, text) if mark is not None else Mark(1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is not None and _is_tab(text, mark.index):
        return InputError(
            "yaml-tab",
            "a tab character where YAML needs spaces for indentation",
            where,
            fix="indent with spaces (most editors can convert tabs to spaces)",
        )
    if "exceeded maximum nesting depth" in problem:  # libyaml's own bound (1000)
        return InputError(
            "yaml-depth", f"nested more than {MAX_DEPTH} levels deep; no plan field is", where
        )
    start = exc.context_mark
    if start is not None and any(needle in problem for needle in _AT_CONTEXT):
        where = Mark(start.line + 1, start.column + 1)
    for needle, message in _FRIENDLY:
        if needle in problem or needle in (exc.context or ""):
            return InputError("yaml-syntax", message, where)
    return InputError("yaml-syntax", f"invalid YAML: {problem}", where)


_BREAKS = "\n\r\x85\u2028\u2029"  # what libyaml counts as line breaks


def _where(mark: yaml.Mark, text: str) -> Mark:
    """A libyaml mark as a Mark, kept within the text.

    At the end of a file with no final line break, libyaml reports a line
    after the last one; point just after the last character instead.
    """
    if mark.index >= len(text) and text and text[-1] not in _BREAKS and mark.column == 0:
        start = max(text.rfind(c) for c in _BREAKS) + 1
        return Mark(max(mark.line, 1), len(text) - start + 1)
    return Mark(mark.line + 1, mark.column + 1)


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> InputError:
    """A character YAML refuses (a control character), at its line and column."""
    # libyaml gives the position as a byte offset into the UTF-8 text.
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return InputError(
        "yaml-syntax",
        f"the character U+{character:04X} is not allowed in YAML: {exc.reason}",
        Mark(line, column),
        fix="delete it; control characters are often pasted in by accident",
    )


def _is_tab(text: str, index: int) -> bool:
    # libyaml points at the tab itself, or at the token after indentation with one.
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return (index < len(text) and text[index] == "\t") or "\t" in indent
