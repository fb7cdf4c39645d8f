"""The roll-up as a deck, with the plan deck's toolkit: native tables that continue."""

from __future__ import annotations

from pathlib import Path

from planpack.models.program import DeckLayouts
from planpack.portfolio.model import Rollup
from planpack.render.deck import finish, layouts, open_template, remove_slides
from planpack.render.deck.frame import GRADE_COLOURS, INK, RED, Deck, paras
from planpack.render.deck.tables import Column, Flow, Table, cell
from planpack.render.format import table_date


def build_rollup_deck(rollup: Rollup, template: Path, names: DeckLayouts) -> bytes:
    presentation = open_template(template)
    remove_slides(presentation)
    deck = Deck(presentation, layouts(presentation, names, template))
    summary = [
        f"{rollup.program} · portfolio of {rollup.as_of_text} · by {rollup.by}",
        "Plans by tier: " + " · ".join(f"tier {t}: {n}" for t, n in rollup.by_tier),
        f"Current plans: {rollup.current} of {rollup.required} ({rollup.current_share})",
        "Health: " + " · ".join(f"{n} {g}" for g, n in rollup.distribution if n),
    ]
    slide = deck.slide("title", f"{rollup.name}: {len(rollup.rows)} plans", "\n".join(summary))
    area = slide.content.below(slide.content.h * 0.45)
    slide.text(area, [p for line in summary for p in paras(line, area.w, 16.0, max_lines=2)],
               name="Summary")

    ranking = Flow(deck, "title_only", "Plans by health",
                   "Ranked by health, the lowest first. Each row is one plan.")
    ranking.table(Table(
        (Column("Account", 3.0), Column("Score", 0.8, "right", fit="100"),
         Column("Grade", 1.1, fit="invalid"), Column("Tier", 0.6, "right", fit="3"),
         Column("Owner", 2.2), Column("What costs the most", 4.0), Column("Review", 1.6)),
        tuple((cell(row.account, bold=True, max_lines=2),
               cell("–" if row.score is None else str(row.score), align="right"),
               cell(row.grade, bold=True, colour=GRADE_COLOURS.get(row.grade, RED)),
               cell(str(row.tier), align="right"), cell(row.owner, max_lines=2),
               cell(row.top_deduction or "–", max_lines=2),
               cell(row.review_text or table_date(row.review_due),
                    colour=RED if "overdue" in row.review_text else None))
              for row in rollup.rows),
        name="Ranking table", size=12.0, floor=9.0))

    reviews = Flow(deck, "title_only", "Reviews", "Reviews overdue, and those due in 30 days.")
    rows = tuple((cell(row.account, bold=True), cell(row.owner),
                  cell(table_date(row.review_due)),
                  cell(row.review_text, colour=RED if "overdue" in row.review_text else INK))
                 for row in (*rollup.overdue_reviews, *rollup.upcoming_reviews))
    if rows:
        reviews.table(Table((Column("Account", 3.0), Column("Owner", 2.5),
                             Column("Due", 1.4, fit="2026-12-18"), Column("", 1.8)), rows,
                            name="Reviews table", size=14.0, floor=9.0))
    else:
        reviews.text("No review is overdue or due in the next 30 days.", 14.0, colour=INK,
                     bold=True)

    owners = Flow(deck, "title_only", "Owners",
                  "Overdue actions by owner; plans per owner against the tier's capacity.")
    owners.table(Table(
        (Column("Owner", 3.0), Column("Plans by tier (limit)", 3.5),
         Column("Over capacity", 1.6), Column("Overdue actions", 1.4, "right", fit="99")),
        tuple((cell(load.owner, bold=True),
               cell(" · ".join(f"tier {t}: {n}" + (f" of {limit}" if limit else "")
                               for t, n, limit in load.plans)),
               cell(f"▲ tier {', '.join(map(str, load.over))}" if load.over else "no",
                    colour=RED if load.over else None),
               cell(str(dict(rollup.overdue_by_owner).get(load.owner, 0)), align="right"))
              for load in rollup.owners),
        name="Owners table", size=14.0, floor=9.0))
    return finish(presentation, rollup.as_of, title=rollup.title, author=rollup.name,
                  subject=rollup.program, keywords=f"account plans, portfolio, {rollup.name}")
