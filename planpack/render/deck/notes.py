"""Speaker notes: the findings behind each slide, so the presenter knows what to say.

A finding belongs to a slide by its rule id (a prefix, or an exact id) or by the plan
field it is about. A finding no topic claims is added to the title slide's notes, so
none is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from planpack.findings import Finding
from planpack.render.packet import Packet

# topic: (rule prefixes or ids, field prefixes)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "title": (("review-", "checkin-", "stale-intelligence", "duplicate-slug"), ("cadence",)),
    "health": (("review-", "checkin-", "stale-intelligence"), ("cadence", "intelligence")),
    "map": (("tier-buying-committee", "crm-unknown-contact", "crm-missing-contact",
             "crm-no-activity", "ref-reports", "ref-influences", "unique-stakeholder"),
            ("stakeholders",)),
    "whitespace": (("tier-whitespace", "ref-whitespace", "ref-cell-opportunity",
                    "unique-whitespace"), ("whitespace",)),
    "roadmap": (("opportunity-", "crm-closed-lost", "crm-unknown-opportunity", "crm-override",
                 "ref-opportunity", "unique-opportunity", "crm-stale-snapshot",
                 "crm-no-snapshot"), ("opportunities",)),
    "actions": (("action-", "tier-forward-actions", "ref-action-", "unique-action-id"),
                ("actions",)),
    "changes": ((), ("reviews",)),
    "risks": ((), ("risks",)),
    "raci": (("owner-", "tier-manager"), ("team",)),
    "next": (("tier-forward-actions", "tier-buying-committee"), ()),
}


def matches(finding: Finding, topic: str) -> bool:
    rules, fields = TOPICS[topic]
    return finding.rule.startswith(rules) or (bool(fields) and finding.field.startswith(fields))


def relevant(packet: Packet, *topics: str) -> list[Finding]:
    """The packet's findings for these topics, in the packet's order."""
    return [f for f in packet.findings if any(matches(f, t) for t in topics)]


def unclaimed(packet: Packet) -> list[Finding]:
    return [f for f in packet.findings if not any(matches(f, t) for t in TOPICS)]


def finding_line(finding: Finding) -> str:
    fix = f" Fix: {finding.fix}" if finding.fix else ""
    where = f" ({finding.field})" if finding.field else ""
    return f"- [{finding.severity.value}] {finding.rule}{where}: {finding.message}.{fix}"


def notes(packet: Packet, *topics: str, lead: Sequence[str] = (),
          extra: Sequence[Finding] = ()) -> str:
    """The notes of a slide: `lead` lines first, then the findings behind it."""
    found = relevant(packet, *topics)
    found += [f for f in extra if f not in found]
    out = list(lead)
    if found:
        if out:
            out.append("")
        out.append(f"Findings behind this slide ({len(found)}):")
        out += [finding_line(f) for f in found]
    else:
        if out:
            out.append("")
        out.append("No findings behind this slide: planpack's checks raise nothing here.")
    return "\n".join(out)


def deductions(packet: Packet) -> list[str]:
    """The top deductions and their fixes, as lines for the notes."""
    if packet.health is None:
        return ["The plan is not scored: fix its errors (planpack validate) to see its "
                "health."]
    lines = [f"Health {packet.health.score}/100, {packet.grade_label}."]
    if packet.top_deductions:
        lines.append("What costs the most points, and the fix:")
        lines += [f"- -{points} points: {message}." + (f" Fix: {fix}" if fix else "")
                  for points, message, fix in packet.top_deductions]
    else:
        lines.append("No deductions: every component scores full marks.")
    return lines
