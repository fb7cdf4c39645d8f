"""Cross-references and uniqueness inside one plan."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from planpack.findings import Loc, Problem
from planpack.models.plan import Plan
from planpack.plan_facts import opportunity_keys, same_id
from planpack.salesforce_id import to18


def check_references(plan: Plan) -> Iterator[Problem]:
    yield from _stakeholders(plan)
    yield from _reporting_cycles(plan)
    yield from _actions(plan)
    yield from _whitespace(plan)
    yield from _opportunities(plan)


def _did_you_mean(name: str, names: list[str]) -> str:
    match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _unknown_person(name: str, names: list[str]) -> str:
    return f"no stakeholder is named {name!r}{_did_you_mean(name, names)}"


def _stakeholders(plan: Plan) -> Iterator[Problem]:
    names = [person.name for person in plan.stakeholders]
    for index, earlier in _duplicates(names):
        yield Problem(
            "unique-stakeholder", ("stakeholders", index, "name"),
            f"{names[index]!r} is already listed at stakeholders[{earlier}]",
            "merge the two entries, or tell them apart by name",
        )
    known = set(names)
    for index, person in enumerate(plan.stakeholders):
        if person.reports_to is not None:
            loc: Loc = ("stakeholders", index, "reports_to")
            if person.reports_to == person.name:
                yield Problem("ref-reports-to", loc, "a stakeholder cannot report to themselves",
                              "name their manager, or remove reports_to")
            elif person.reports_to not in known:
                yield Problem("ref-reports-to", loc, _unknown_person(person.reports_to, names),
                              "add that person to stakeholders, or fix the name")
        for k, target in enumerate(person.influences):
            loc = ("stakeholders", index, "influences", k)
            if target == person.name:
                yield Problem("ref-influences", loc, "a stakeholder cannot influence themselves",
                              "remove the entry")
            elif target not in known:
                yield Problem("ref-influences", loc, _unknown_person(target, names),
                              "add that person to stakeholders, or fix the name")


def _reporting_cycles(plan: Plan) -> Iterator[Problem]:
    index_of = {p.name: i for i, p in reversed(list(enumerate(plan.stakeholders)))}
    boss = {p.name: p.reports_to for p in plan.stakeholders if p.reports_to in index_of}
    reported: set[str] = set()
    for start in sorted(index_of, key=index_of.__getitem__):  # in file order
        path: list[str] = []
        name: str | None = start
        while name is not None and name not in path and name not in reported:
            path.append(name)
            name = boss.get(name)
        if name is not None and name in path:
            cycle = path[path.index(name):]
            if len(cycle) > 1 and not reported.intersection(cycle):
                yield Problem(
                    "ref-reports-cycle", ("stakeholders", index_of[cycle[0]], "reports_to"),
                    "reports_to lines form a cycle: " + " -> ".join([*cycle, cycle[0]]),
                    "one of them reports outside this group; fix that reports_to",
                )
        reported.update(path)


def _actions(plan: Plan) -> Iterator[Problem]:
    names = [p.name for p in plan.stakeholders]
    known = set(names)
    opportunities = opportunity_keys(plan)
    ids = [action.id for action in plan.actions]
    for index, earlier in _duplicates(ids):
        yield Problem(
            "unique-action-id", ("actions", index, "id"),
            f"the id {ids[index]!r} is already used by actions[{earlier}]",
            "give each action its own id",
        )
    for index, action in enumerate(plan.actions):
        if action.stakeholder is not None and action.stakeholder not in known:
            yield Problem(
                "ref-action-stakeholder", ("actions", index, "stakeholder"),
                _unknown_person(action.stakeholder, names),
                "add that person to stakeholders, or fix the name",
            )
        if action.opportunity is not None and not (
            {action.opportunity, same_id(action.opportunity)} & opportunities
        ):
            labels = [o.name or o.salesforce_id or "" for o in plan.opportunities]
            yield Problem(
                "ref-action-opportunity", ("actions", index, "opportunity"),
                f"no opportunity in the plan has the Id or name {action.opportunity!r}"
                + _did_you_mean(action.opportunity, labels),
                "add the opportunity to opportunities, or fix the reference",
            )


def _duplicates(items: Sequence[str | None]) -> Iterator[tuple[int, int]]:
    """(index, first index) for every repeated item; None is never a repeat."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item is None:
            continue
        if item in first:
            yield index, first[item]
        else:
            first[item] = index


def _whitespace(plan: Plan) -> Iterator[Problem]:
    ws = plan.whitespace
    if ws is None:
        return
    for axis, items in (("products", ws.products), ("units", ws.units)):
        for index, earlier in _duplicates(items):
            yield Problem(
                "unique-whitespace", ("whitespace", axis, index),
                f"{items[index]!r} is already listed at whitespace.{axis}[{earlier}]",
                "remove the repeat",
            )
    pairs = [f"{c.product}\x00{c.unit}" for c in ws.cells]
    for index, earlier in _duplicates(pairs):
        cell = ws.cells[index]
        yield Problem(
            "unique-whitespace", ("whitespace", "cells", index),
            f"the cell {cell.product} / {cell.unit} is already given at "
            f"whitespace.cells[{earlier}]",
            "keep one cell per product and unit",
        )
    products, units = set(ws.products), set(ws.units)
    linked = {to18(o.salesforce_id) for o in plan.opportunities if o.salesforce_id}
    for index, cell in enumerate(ws.cells):
        if cell.product not in products:
            yield Problem(
                "ref-whitespace", ("whitespace", "cells", index, "product"),
                f"{cell.product!r} is not in whitespace.products"
                + _did_you_mean(cell.product, ws.products),
                "add it to whitespace.products, or fix the name",
            )
        if cell.unit not in units:
            yield Problem(
                "ref-whitespace", ("whitespace", "cells", index, "unit"),
                f"{cell.unit!r} is not in whitespace.units" + _did_you_mean(cell.unit, ws.units),
                "add it to whitespace.units, or fix the name",
            )
        if cell.opportunity is not None and to18(cell.opportunity) not in linked:
            yield Problem(
                "ref-cell-opportunity", ("whitespace", "cells", index, "opportunity"),
                f"{cell.opportunity} is not among the plan's opportunities",
                "add it to opportunities with its salesforce_id, or fix the Id",
            )


def _opportunities(plan: Plan) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, opp in enumerate(plan.opportunities):
        key = to18(opp.salesforce_id) if opp.salesforce_id else f"name:{opp.name}"
        if key in seen:
            yield Problem(
                "unique-opportunity", ("opportunities", index),
                f"{opp.label!r} is already listed at opportunities[{seen[key]}]",
                "remove the repeat",
            )
        else:
            seen[key] = index
    ws = plan.whitespace
    for index, opp in enumerate(plan.opportunities):
        for axis, value in (("product", opp.product), ("unit", opp.unit)):
            if value is None:
                continue
            listed = (ws.products if axis == "product" else ws.units) if ws else []
            if value not in listed:
                where = f"whitespace.{axis}s" if ws else "a whitespace section (there is none)"
                yield Problem(
                    "ref-opportunity", ("opportunities", index, axis),
                    f"{value!r} is not in {where}" + _did_you_mean(value, listed),
                    f"add it to whitespace.{axis}s, or fix the name",
                )
