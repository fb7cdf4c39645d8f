"""Enrichment: the plan joined with what Salesforce knows, and the gaps between them.

The stage reads snapshots only; it never talks to Salesforce (that is `pull`).
"""

from __future__ import annotations

from pathlib import Path

from planpack.enrich.gaps import check_gaps, no_snapshot
from planpack.enrich.view import Enriched, enrich
from planpack.findings import Problem
from planpack.governance.context import CheckContext
from planpack.models.plan import Plan
from planpack.salesforce.snapshot import SnapshotUnreadable, read_snapshot

__all__ = ["Enriched", "check_gaps", "enrich", "enrich_from"]


def enrich_from(plan: Plan, snapshots: Path | None, ctx: CheckContext
                ) -> tuple[Enriched, list[Problem]]:
    """The plan enriched from its snapshot in `snapshots`, and the gap findings."""
    account_id = plan.account.salesforce_id
    if snapshots is None or account_id is None:
        return enrich(plan, None), []
    try:
        snapshot = read_snapshot(snapshots, account_id)
    except SnapshotUnreadable as exc:
        return enrich(plan, None), [no_snapshot(f"no Salesforce data: {exc}")]
    if snapshot is None:
        return enrich(plan, None), [no_snapshot()]
    view = enrich(plan, snapshot)
    return view, list(check_gaps(view, ctx))
