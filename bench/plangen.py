"""Realistic synthetic plans for benchmarks: valid, varied, about 270 lines each."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from planpack.salesforce_id import checksum

_FIRST = ["Dana", "Chris", "Priya", "Lars", "Mei", "Omar", "Sofia", "Jonas", "Amara", "Kenji",
          "Elena", "Tomás", "Ngozi", "Hugo", "Ines", "Raj"]
_LAST = ["Whitfield", "Ortega", "Raman", "Nilsson", "Zhang", "Haddad", "Rossi", "Becker",
         "Okafor", "Sato", "Petrova", "Alves", "Eze", "Laurent", "Costa", "Mehta"]
_TITLES = ["Chief Financial Officer", "VP Operations", "Director, IT", "Head of Procurement",
           "CIO", "Logistics Manager", "Enterprise Architect", "COO"]
_ROLES = ["economic_buyer", "decision_maker", "champion", "coach", "influencer",
          "technical_evaluator", "user", "blocker"]
_PRODUCTS = ["Fleet Tracking", "Route Optimizer", "Analytics", "Yard Manager"]
_UNITS = ["Nordics", "DACH", "Benelux", "Iberia"]
_STATUS = ["owned", "pipeline", "target", "competitor", "internal", "not_a_fit"]


def _sfid(prefix: str, n: int) -> str:
    base = f"{prefix}Dn{n:010d}"[:15]
    return base + checksum(base)


def plan_text(n: int, as_of: date, managers: int | None = None) -> str:
    """Plan number `n`; with `managers`, plan n reports to manager n % managers (so a
    roll-up covers several plans, as in a real programme), else each has its own."""
    rng = random.Random(n)
    d = lambda days: (as_of + timedelta(days=days)).isoformat()  # noqa: E731
    people = [f"{_FIRST[(n + i) % 16]} {_LAST[(n * 3 + i) % 16]}" for i in range(7)]
    team = [f"member{i}.{n}@example.com" for i in range(5)]
    if managers:
        team[3] = f"manager{n % managers}@example.com"
    out = [
        "# yaml-language-server: $schema=../plan.schema.json",
        "schema_version: 1",
        "",
        "account:",
        f"  name: Account {n} Holdings",
        f"  salesforce_id: {_sfid('001', n)}",
        "  tier: 1",
        "  industry: Transportation",
        "  region: EMEA",
        f"  revenue_potential: {rng.randint(1, 5)}",
        f"  strategic_fit: {rng.randint(1, 5)}",
        "",
        "team:",
        f"  owner: {team[0]}",
        f"  manager: {team[3]}",
        "  members:",
    ]
    for i, email in enumerate(team):
        role = ["account_executive", "sales_engineer", "customer_success", "manager",
                "marketing"][i]
        out += [f"    - email: {email}", f"      role: {role}", "      owns: [actions]"]
    out += [
        "",
        "cadence:",
        f"  last_review: {d(-40)}",
        f"  last_checkin: {d(-10)}",
        f"  next_review: {d(50)}",
        "",
        "summary: |",
        f"  Account {n} runs {rng.randint(10, 90)} warehouses across EMEA. We own tracking in",
        "  two regions; the expansion thesis is route optimisation everywhere by Q3.",
        "",
        "objectives:",
    ]
    for i in range(3):
        out += [f"  - title: Objective {i} for account {n}", "    metric: ARR",
                f"    target: {rng.randint(1, 20) * 100000}", f"    due: {d(200 + i * 30)}"]
    out += ["", "stakeholders:"]
    for i, name in enumerate(people):
        out += [
            f"  - name: {name}",
            f"    title: {_TITLES[i]}",
            "    department: Operations",
            f"    salesforce_id: {_sfid('003', n * 10 + i)}",
            f"    email: {name.lower().replace(' ', '.')}@customer{n}.example",
            f"    role: {_ROLES[i]}",
            f"    influence: {['high', 'medium', 'low'][i % 3]}",
            f"    sentiment: {['advocate', 'supporter', 'neutral', 'skeptic'][i % 4]}",
            f"    coverage: {['multiple', 'in_depth', 'brief'][i % 3]}",
            f"    relationship_owner: {team[i % 5]}",
            f"    last_contact: {d(-rng.randint(1, 60))}",
        ]
        if i:
            out.append(f"    reports_to: {people[0] if i < 3 else people[1]}")
    out += ["", "whitespace:", f"  products: [{', '.join(_PRODUCTS)}]",
            f"  units: [{', '.join(_UNITS)}]", "  cells:"]
    for p in _PRODUCTS:
        for u in _UNITS:
            status = rng.choice(_STATUS)
            extra = f", estimate: {rng.randint(1, 9) * 50000}" if status == "target" else ""
            out.append(f"    - {{product: {p}, unit: {u}, status: {status}{extra}}}")
    out += ["", "opportunities:"]
    for i in range(3):
        out += [f"  - name: Expansion {i} for account {n}",
                f"    amount: {rng.randint(1, 30) * 10000}",
                f"    close_date: {d(30 + i * 45)}", "    stage: planned",
                f"    product: {_PRODUCTS[i % 4]}", f"    unit: {_UNITS[i % 4]}"]
    out += ["", "risks:"]
    for i in range(3):
        out += [f"  - title: Risk {i}, incumbent renews in region {i}",
                f"    severity: {['high', 'medium', 'low'][i % 3]}",
                "    mitigation: Present a TCO comparison before April",
                f"    owner: {team[i % 5]}"]
    out += ["", "actions:"]
    for i in range(6):
        out += [f"  - id: action-{i}", f"    title: Action {i} to advance account {n}",
                f"    owner: {team[i % 5]}", f"    due: {d(5 + i * 7)}",
                f"    status: {['open', 'in_progress'][i % 2]}",
                "    outcome: A signed next step", f"    stakeholder: {people[i]}"]
    out += ["", "intelligence:"]
    for i in range(4):
        out += [f"  - source: {['news', 'zoominfo', 'linkedin', 'financials'][i]}",
                f"    kind: {['news', 'org_change', 'intent', 'financial'][i]}",
                f"    as_of: {d(-5 - i * 20)}",
                f"    summary: Signal {i} about account {n} and its expansion plans.",
                f"    url: https://news.example/account-{n}/{i}"]
    out += ["", "reviews:"]
    for i in range(2):
        out += [f"  - date: {d(-40 - i * 92)}", "    kind: qbr",
                f"    attendees: [{team[0]}, {team[3]}]", "    commitments:",
                f"      - Commitment {i} for account {n}",
                f"    notes: Review {i} went well; next steps agreed."]
    return "\n".join(out) + "\n"


def write_plans(folder: Path, count: int, as_of: date, managers: int | None = None
                ) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"account-{n:04d}.yaml"
        path.write_text(plan_text(n, as_of, managers), encoding="utf-8")
        paths.append(path)
    return paths
