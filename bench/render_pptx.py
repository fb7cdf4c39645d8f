"""Benchmark: the largest sample plan's PowerPoint deck against its PDF, in one run.

Both go through planpack's whole pipeline (render_plan with formats=("pptx",) and
("pdf",)) in one process, several times each, the median reported, after one warm-up
render of each; prints the deck's slides and shapes and the ratio.
Target (issue 6): the deck in at most 0.3x the time of the PDF.

    python bench/render_pptx.py [--repeat 5] [--plan plans/alpine-cold-chain.yaml]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planpack.loader.program import load_program  # noqa: E402
from planpack.render import render_plan  # noqa: E402
from planpack.render.pdf import Renderer  # noqa: E402
from planpack.render.templates import search_path  # noqa: E402

AS_OF = date(2026, 12, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plan", type=Path, default=None)
    args = parser.parse_args()
    plan = args.plan or max((ROOT / "plans").glob("*.yaml"), key=lambda p: p.stat().st_size)
    config = load_program(ROOT / "planpack.yaml")
    renderer = Renderer(search_path(config.path(config.program.templates_dir)))
    times: dict[str, list[float]] = {"pptx": [], "pdf": []}
    with tempfile.TemporaryDirectory() as out:
        for fmt in times:  # warm up: imports, fonts, stylesheet, templates
            render_plan(plan, config, AS_OF, out=Path(out), formats=(fmt,), renderer=renderer)
        for _ in range(args.repeat):
            for fmt in times:
                start = time.perf_counter()
                result = render_plan(plan, config, AS_OF, out=Path(out), formats=(fmt,),
                                     renderer=renderer)
                times[fmt].append(time.perf_counter() - start)
                if fmt == "pptx":
                    deck = result.path
        from pptx import Presentation

        slides = Presentation(str(deck)).slides
        shapes = sum(len(slide.shapes) for slide in slides)
    pptx, pdf = statistics.median(times["pptx"]), statistics.median(times["pdf"])
    print(f"{plan.relative_to(ROOT)}: deck of {len(slides)} slides, {shapes} shapes")
    print(f"(d) deck   median {pptx * 1000:.0f} ms over {args.repeat} runs")
    print(f"(p) PDF    median {pdf * 1000:.0f} ms over {args.repeat} runs")
    print(f"    d/p = {pptx / pdf:.2f}x   (target <= 0.3x)")


if __name__ == "__main__":
    main()
