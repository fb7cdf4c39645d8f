"""The Salesforce org behind the sample plans, and the command that makes their snapshots.

`make snapshots` serves this org from the stand-in and runs a real `planpack pull`
against it, as of the demo date, writing `.planpack/snapshots/`. The snapshots are
committed, so `make demo` and the tests run with no credentials; a test checks that
regenerating them gives the same bytes.

The org agrees with the plans where the plans are healthy and disagrees where a real
org would: the red and amber accounts have a closed-lost deal, a single-threaded deal,
a buyer nobody has mapped, an executive nobody has met.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE.parent), str(ROOT)]

from planpack.loader.plans import load_plan  # noqa: E402
from planpack.loader.program import load_program  # noqa: E402
from planpack.models.plan import Plan  # noqa: E402
from planpack.salesforce.client import RetryPolicy  # noqa: E402
from planpack.salesforce.pull import pull  # noqa: E402
from planpack.salesforce_id import to18  # noqa: E402
from support.salesforce_standin import Org, StandIn  # noqa: E402

AS_OF = date(2026, 12, 1)  # the demo date (Makefile DEMO_AS_OF)
FETCHED = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
ROLE_NAMES = {
    "economic_buyer": "Economic Buyer", "decision_maker": "Decision Maker",
    "champion": "Champion", "technical_evaluator": "Technical Buyer",
    "influencer": "Influencer", "coach": "Influencer", "user": "End User",
}

# Where the org disagrees with a plan, by slug.
GAPS: dict[str, dict[str, object]] = {
    "cascadia-grocers": {
        "lost": "006Dn00000Csg02IAB",
        "single": "006Dn00000Csg03IAB",
        "unmapped": ("Grace", "Okoye", "Procurement Director"),
    },
    "harborline-freight": {
        "unmet": True,  # no logged activity with the executives the plan has not met
        "unmapped": ("Marcus", "Bell", "Director of Finance"),
    },
    "saguaro-building-supply": {"single": "006Dn00000Sgb02IAB"},
    "tidewater-beverage": {"unmapped": ("Hannah", "Prior", "Head of Finance")},
}
PARENTS: dict[str, tuple[str | None, str | None]] = {
    "northwind-logistics": ("Northwind Group", "Northwind Nordics"),
    "alpine-cold-chain": ("Alpine Holding AG", None),
}


def _person(email: str) -> str:
    return " ".join(part.capitalize() for part in email.split("@")[0].split("."))


def build(plans: dict[str, Plan]) -> Org:
    org = Org()
    users: dict[str, str] = {}

    def user(email: str) -> str:
        if email not in users:
            users[email] = org.add_user(_person(email), email=email)
        return users[email]

    for slug, plan in sorted(plans.items()):
        gaps = GAPS.get(slug, {})
        account_id = to18(plan.account.salesforce_id or "")
        owner = user(plan.team.owner)
        parent_name, child_name = PARENTS.get(slug, (None, None))
        parent = org.add_account(parent_name, owner_id=owner) if parent_name else None
        org.insert("Account", {"Id": account_id, "Name": plan.account.name, "ParentId": parent,
                               "OwnerId": owner, "Industry": plan.account.industry})
        if child_name:
            org.add_account(child_name, parent_id=account_id, owner_id=owner)

        contacts: dict[str, str] = {}  # stakeholder name -> contact Id
        for person in plan.stakeholders:
            if not (person.salesforce_id or person.email):
                continue  # not in Salesforce: a relationship the team keeps in the plan
            first, _, last = person.name.rpartition(" ")
            values = {"AccountId": account_id, "FirstName": first or None, "LastName": last,
                      "Title": person.title, "Department": person.department,
                      "Email": person.email, "OwnerId": user(person.relationship_owner or
                                                             plan.team.owner)}
            if person.salesforce_id:
                values["Id"] = to18(person.salesforce_id)
            contacts[person.name] = org.insert("Contact", values)
            met = person.last_contact
            if met is None and person.influence == "high" and not gaps.get("unmet"):
                met = AS_OF - timedelta(days=15)
            if met is not None and met >= AS_OF - timedelta(days=365):
                org.add_task(account_id=account_id, who_id=contacts[person.name],
                             activity_date=met, owner_id=owner, subject="Meeting notes")

        unmapped = None
        if "unmapped" in gaps:
            first, last, title = gaps["unmapped"]  # type: ignore[misc]
            unmapped = org.add_contact(account_id, first, last, title=title, owner_id=owner)
        holders = sorted(
            (p for p in plan.stakeholders if p.name in contacts and p.role in ROLE_NAMES),
            key=lambda p: list(ROLE_NAMES).index(p.role),
        )
        cells = {(c.product, c.unit): c for c in plan.whitespace.cells} if plan.whitespace else {}
        for n, opp in enumerate(o for o in plan.opportunities if o.salesforce_id):
            assert opp.salesforce_id is not None
            opp_id = to18(opp.salesforce_id)
            cell = cells.get((opp.product or "", opp.unit or ""))
            lost = gaps.get("lost") == opp_id
            org.insert("Opportunity", {
                "Id": opp_id, "AccountId": account_id,
                "Name": " ".join(x for x in (opp.product, opp.unit) if x) or f"Deal {n + 1}",
                "Amount": float(cell.estimate) if cell and cell.estimate else 120000.0 + 15000 * n,
                "StageName": "Closed Lost" if lost else ("Proposal", "Negotiation")[n % 2],
                "CloseDate": (AS_OF - timedelta(days=20)) if lost
                else AS_OF + timedelta(days=75 + 45 * n),
                "Probability": 0.0 if lost else (50.0, 70.0)[n % 2], "OwnerId": owner,
            })
            on_deal = holders[:1] if gaps.get("single") == opp_id else holders[:2]
            for person in on_deal:
                org.add_contact_role(opp_id, contacts[person.name], role=ROLE_NAMES[person.role],
                                     is_primary=person is on_deal[0])
            if unmapped is not None and n == 0:
                org.add_contact_role(opp_id, unmapped, role="Economic Buyer")
    return org


def sample_plans(folder: Path) -> dict[str, Plan]:
    plans = {}
    for path in sorted(folder.glob("*.yaml")):
        plan = load_plan(path).plan
        if plan is None or plan.account.salesforce_id is None:
            raise SystemExit(f"{path}: not a valid, linked sample plan")
        plans[path.stem] = plan
    return plans


def make_snapshots(root: Path = ROOT, plans_dir: Path | None = None) -> None:
    """Serve the sample org and pull the sample plans' accounts into root's snapshot dir."""
    plans_dir = plans_dir or ROOT / "plans"
    org = build(sample_plans(plans_dir))
    with StandIn(org) as standin:
        import os

        env = {"SF_INSTANCE_URL": standin.url, "SF_ACCESS_TOKEN": standin.token}
        saved = os.environ.get("REQUESTS_CA_BUNDLE")
        os.environ["REQUESTS_CA_BUNDLE"] = standin.ca_file
        try:
            result = pull([plans_dir], load_program(root / "planpack.yaml"), env=env,
                          policy=RetryPolicy(attempts=1), now=FETCHED)
        finally:
            if saved is None:
                del os.environ["REQUESTS_CA_BUNDLE"]
            else:
                os.environ["REQUESTS_CA_BUNDLE"] = saved
    if result.failed:
        raise SystemExit(f"the sample pull failed: {result.error}")
    print(f"{len(result.refreshed)} snapshots in {result.snapshot_dir} "
          f"({result.requests} API requests)")


if __name__ == "__main__":
    make_snapshots()
