"""Two versions of a plan compared as plans: items matched by identity, not by position.

The comparison works on the YAML data, not on the models, so that a version that
fails validation (a typo at BASE) can still be compared wherever its sections can
be read. Identities: stakeholders by name; actions by id, else title; whitespace
cells by product and unit; opportunities by Salesforce Id, else name; risks and
objectives by title; intelligence by date and summary; reviews by date and kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from planpack.salesforce_id import to18

# The order sections are reported in: the order of the plan format.
SECTIONS = ("account", "team", "cadence", "summary", "objectives", "stakeholders",
            "whitespace", "opportunities", "risks", "actions", "intelligence", "reviews")


@dataclass(frozen=True)
class Change:
    section: str
    kind: str  # added, removed, changed, completed, dropped, moved
    subject: str  # what changed, as a person names it: "Dana Whitfield", "tier"
    field: str | None = None
    before: Any = None
    after: Any = None
    note: str | None = None  # "+21 d", "(technical_evaluator, influence high)"

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "kind": self.kind, "subject": self.subject,
                "field": self.field, "before": _plain(self.before),
                "after": _plain(self.after), "note": self.note}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def compare(before: Any, after: Any) -> list[Change]:
    """The changes from `before` to `after` (YAML data of a plan; None: no such version)."""
    old, new = _mapping(before), _mapping(after)
    changes: list[Change] = []
    for section in SECTIONS:
        changes += COMPARERS[section](section, old.get(section), new.get(section))
    return changes


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def _days(before: Any, after: Any) -> str | None:
    old, new = _as_date(before), _as_date(after)
    if old is None or new is None:
        return None
    return f"{(new - old).days:+d} d"


def _fields(section: str, subject: str, old: dict[str, Any], new: dict[str, Any],
            names: tuple[str, ...]) -> Iterator[Change]:
    for name in names:
        if old.get(name) != new.get(name):
            moved = _days(old.get(name), new.get(name)) if "date" in name or name in (
                "due", "last_review", "last_checkin", "next_review", "close_date") else None
            yield Change(section, "changed", subject, name, old.get(name), new.get(name), moved)


def _keyed(section: str, before: Any, after: Any, key: Callable[[dict[str, Any]], str | None],
           label: Callable[[dict[str, Any]], str], fields: tuple[str, ...],
           added_note: Callable[[dict[str, Any]], str | None] = lambda item: None,
           changed: Callable[[str, str, dict[str, Any], dict[str, Any]], Iterator[Change]]
           | None = None) -> list[Change]:
    olds = {k: item for item in _items(before) if (k := key(item)) is not None}
    news = {k: item for item in _items(after) if (k := key(item)) is not None}
    out: list[Change] = []
    for k, item in news.items():
        if k not in olds:
            out.append(Change(section, "added", label(item), note=added_note(item)))
        elif changed is not None:
            out += changed(section, label(item), olds[k], item)
        else:
            out += _fields(section, label(item), olds[k], item, fields)
    out += [Change(section, "removed", label(item)) for k, item in olds.items() if k not in news]
    return out


def _account(section: str, before: Any, after: Any) -> list[Change]:
    names = ("name", "tier", "salesforce_id", "industry", "region", "revenue_potential",
             "strategic_fit")
    old, new = _mapping(before), _mapping(after)
    return [Change(section, c.kind, c.field or "", c.field, c.before, c.after, c.note)
            for c in _fields(section, "", old, new, names)]


def _team(section: str, before: Any, after: Any) -> list[Change]:
    old, new = _mapping(before), _mapping(after)
    out = [Change(section, "changed", name, name, old.get(name), new.get(name))
           for name in ("owner", "manager") if old.get(name) != new.get(name)]
    out += _keyed(section, old.get("members"), new.get("members"),
                  lambda m: _text(m.get("email")).lower() or None,
                  lambda m: _text(m.get("email")), ("role", "owns"),
                  lambda m: _text(m.get("role")) or None)
    return out


def _cadence(section: str, before: Any, after: Any) -> list[Change]:
    old, new = _mapping(before), _mapping(after)
    return [Change(section, "changed", c.field or "", c.field, c.before, c.after, c.note)
            for c in _fields(section, "", old, new, ("last_review", "last_checkin",
                                                        "next_review"))]


def _summary(section: str, before: Any, after: Any) -> list[Change]:
    if _text(before).strip() == _text(after).strip():
        return []
    kind = "added" if not _text(before).strip() else (
        "removed" if not _text(after).strip() else "changed")
    return [Change(section, kind, "summary", None, before, after)]


def _by(name: str) -> Callable[[dict[str, Any]], str | None]:
    return lambda item: _text(item.get(name)) or None


def _stakeholder_note(item: dict[str, Any]) -> str | None:
    parts = [_text(item.get("role")), f"influence {item['influence']}" if item.get("influence")
             else ""]
    shown = ", ".join(p for p in parts if p)
    return shown or None


def _stakeholder(section: str, subject: str, old: dict[str, Any], new: dict[str, Any]
                 ) -> Iterator[Change]:
    yield from _fields(section, subject, old, new, ("role", "influence", "sentiment",
                                                     "coverage", "reports_to", "title",
                                                     "relationship_owner"))
    was = {_text(x) for x in old.get("influences") or [] if x}
    now = {_text(x) for x in new.get("influences") or [] if x}
    for name in sorted(now - was):
        yield Change(section, "changed", subject, "influences", None, name, "now influences")
    for name in sorted(was - now):
        yield Change(section, "changed", subject, "influences", name, None, "no longer")


def _whitespace(section: str, before: Any, after: Any) -> list[Change]:
    old, new = _mapping(before), _mapping(after)
    out: list[Change] = []
    for axis in ("products", "units"):
        was = [_text(x) for x in old.get(axis) or [] if x is not None]
        now = [_text(x) for x in new.get(axis) or [] if x is not None]
        out += [Change(section, "added", name, axis) for name in now if name not in was]
        out += [Change(section, "removed", name, axis) for name in was if name not in now]
    cells_old, cells_new = _cells(old), _cells(new)
    for pair in [*cells_new, *(p for p in cells_old if p not in cells_new)]:
        cell_was, cell_now = cells_old.get(pair, {}), cells_new.get(pair, {})
        subject = f"{pair[0]} / {pair[1]}"
        status_was = cell_was.get("status", "unknown")
        status_now = cell_now.get("status", "unknown")
        if status_was != status_now:
            out.append(Change(section, "changed", subject, "status", status_was, status_now))
        out += _fields(section, subject, cell_was, cell_now, ("estimate", "opportunity", "note"))
    return out


def _cells(whitespace: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """A missing cell is an unknown one, so cells are compared by product and unit."""
    return {(_text(c.get("product")), _text(c.get("unit"))): c
            for c in _items(whitespace.get("cells"))}


def _opportunity_key(item: dict[str, Any]) -> str | None:
    sf = _text(item.get("salesforce_id"))
    if sf:
        return to18(sf) if len(sf) == 15 and sf.isalnum() else sf
    return f"name:{item['name']}" if item.get("name") else None


def _opportunity_label(item: dict[str, Any]) -> str:
    return _text(item.get("name")) or _text(item.get("salesforce_id"))


def _action_key(item: dict[str, Any]) -> str | None:
    return (f"id:{item['id']}" if item.get("id") else
            f"title:{item['title']}" if item.get("title") else None)


def _action_label(item: dict[str, Any]) -> str:
    title = _text(item.get("title"))
    return f"{title} ({item['id']})" if item.get("id") and title else title or _text(item.get("id"))


def _action_note(item: dict[str, Any]) -> str | None:
    parts = [_text(item.get("owner")), f"due {item['due']}" if item.get("due") else ""]
    shown = ", ".join(p for p in parts if p)
    return shown or None


def _action(section: str, subject: str, old: dict[str, Any], new: dict[str, Any]
            ) -> Iterator[Change]:
    status_was, status_now = old.get("status", "open"), new.get("status", "open")
    if status_was != status_now:
        kind = {"done": "completed", "dropped": "dropped"}.get(_text(status_now), "changed")
        yield Change(section, kind, subject, "status", status_was, status_now)
    if old.get("due") != new.get("due"):
        yield Change(section, "moved", subject, "due", old.get("due"), new.get("due"),
                     _days(old.get("due"), new.get("due")))
    yield from _fields(section, subject, old, new, ("owner", "title", "outcome", "stakeholder",
                                                     "opportunity"))


COMPARERS: dict[str, Callable[[str, Any, Any], list[Change]]] = {
    "account": _account,
    "team": _team,
    "cadence": _cadence,
    "summary": _summary,
    "objectives": lambda s, b, a: _keyed(s, b, a, _by("title"), lambda i: _text(i["title"]),
                                         ("metric", "target", "due", "status")),
    "stakeholders": lambda s, b, a: _keyed(s, b, a, _by("name"), lambda i: _text(i["name"]),
                                           (), _stakeholder_note, _stakeholder),
    "whitespace": _whitespace,
    "opportunities": lambda s, b, a: _keyed(s, b, a, _opportunity_key, _opportunity_label,
                                            ("name", "amount", "stage", "close_date",
                                             "probability", "product", "unit")),
    "risks": lambda s, b, a: _keyed(s, b, a, _by("title"), lambda i: _text(i["title"]),
                                    ("severity", "mitigation", "owner")),
    "actions": lambda s, b, a: _keyed(s, b, a, _action_key, _action_label, (), _action_note,
                                      _action),
    "intelligence": lambda s, b, a: _keyed(
        s, b, a, lambda i: f"{i.get('as_of')}|{i.get('summary')}" if i.get("summary") else None,
        lambda i: _text(i.get("summary")), ()),
    "reviews": lambda s, b, a: _keyed(
        s, b, a, lambda i: f"{i.get('date')}|{i.get('kind')}" if i.get("date") else None,
        lambda i: f"{i.get('kind', 'review')} on {i.get('date')}", ()),
}
