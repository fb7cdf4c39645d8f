"""Shared fixtures: small plans written to a temporary folder, a pinned clock."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

# Every test judges plans as of this date, so none depends on the day it runs.
AS_OF = date(2026, 12, 1)
ROOT = Path(__file__).resolve().parent.parent

# A valid tier 3 plan: nothing beyond the required fields.
MINIMAL = """\
schema_version: 1
account:
  name: Minimal Co
  tier: 3
team:
  owner: owner@example.com
"""

# A tier 1 plan that meets the default standard as of AS_OF, with no findings. It
# names no Salesforce Id, so it needs no snapshot (see LINKED for one that does).
COMPLETE_TIER1 = """\
schema_version: 1
account:
  name: Northwind Logistics
  industry: Transportation
  tier: 1
team:
  owner: maria.chen@example.com
  manager: omar.haddad@example.com
  members:
    - email: maria.chen@example.com
      role: account_executive
    - email: lee.park@example.com
      role: sales_engineer
cadence:
  last_review: 2026-10-14
  last_checkin: 2026-11-12
  next_review: 2027-01-13
summary: Northwind runs 40 warehouses in EMEA.
objectives:
  - title: Route Optimizer live in EMEA
    target: 1200000
stakeholders:
  - name: Dana Whitfield
    role: economic_buyer
    influence: high
    sentiment: advocate
    coverage: multiple
    last_contact: 2026-11-02
  - name: Chris Ortega
    role: decision_maker
    influence: high
    sentiment: supporter
    coverage: in_depth
    last_contact: 2026-11-20
    reports_to: Dana Whitfield
  - name: Priya Raman
    role: champion
    influence: medium
    sentiment: advocate
    reports_to: Chris Ortega
whitespace:
  products: [Fleet Tracking, Route Optimizer]
  units: [Nordics, DACH]
  cells:
    - {product: Fleet Tracking, unit: Nordics, status: owned}
    - {product: Fleet Tracking, unit: DACH, status: owned}
    - {product: Route Optimizer, unit: Nordics, status: pipeline}
    - {product: Route Optimizer, unit: DACH, status: target, estimate: 300000}
actions:
  - id: cfo
    title: Meet the CFO
    owner: maria.chen@example.com
    due: 2026-12-18
  - id: poc
    title: Scope the DACH proof of concept
    owner: lee.park@example.com
    due: 2027-01-20
    status: in_progress
  - id: adoption
    title: Run the adoption review
    owner: maria.chen@example.com
    due: 2027-01-31
intelligence:
  - source: news
    kind: org_change
    as_of: 2026-11-20
    summary: A new CIO was appointed.
"""


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[..., Path]:
    """write_plan(text, name="acme") -> the path of plans/<name>.yaml under tmp_path.

    The text is dedented, so tests can indent it with the code.
    """

    def write(text: str, name: str = "acme") -> Path:
        folder = tmp_path / "plans"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
