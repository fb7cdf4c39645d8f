"""`planpack pull` output: what was fetched, what it cost, what was not refreshed."""

from __future__ import annotations

from planpack.discovery import shown_path
from planpack.report.findings import text_line
from planpack.salesforce.pull import OBJECTS_PER_ACCOUNT, PullResult


def _n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def as_text(result: PullResult) -> str:
    lines = [text_line(f) for f in result.invalid]
    lines += [f"{path}: names no account salesforce_id; nothing to pull"
              for path in result.unlinked]
    accounts = len(result.plans)
    if accounts:
        lines.append(
            f"Pulled {_n(len(result.refreshed), 'account')} of {accounts} in "
            f"{_n(result.requests, 'API request')} (one query per account and object "
            f"would take {accounts * OBJECTS_PER_ACCOUNT:,})"
        )
    counts = result.counts
    if result.refreshed:
        lines.append(
            f"  {_n(counts['contacts'], 'contact')}, "
            f"{_n(counts['opportunities'], 'opportunity', 'opportunities')}, "
            f"{_n(counts['contact roles'], 'contact role')}, "
            f"{_n(counts['activities'], 'task or event', 'tasks and events')} in 365 days"
        )
        assert result.snapshot_dir is not None
        lines.append(f"  snapshots written to {shown_path(result.snapshot_dir)}")
    for account_id in result.not_found:
        plans = ", ".join(result.plans[account_id])
        lines.append(f"{plans}: Salesforce has no account {account_id}; check the Id")
    if result.error is not None:
        lines.append(f"Error: {result.error.message}")
    if result.not_refreshed:
        shown = [f"{a} ({', '.join(result.plans[a])})" for a in result.not_refreshed[:5]]
        more = len(result.not_refreshed) - len(shown)
        lines.append(
            f"Not refreshed ({_n(len(result.not_refreshed), 'account')}; earlier snapshots "
            "kept): " + ", ".join(shown) + (f" and {more} more" if more else "")
        )
    return "\n".join(lines) + "\n"
