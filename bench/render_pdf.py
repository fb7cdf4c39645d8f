"""Benchmark: `planpack render` of the largest sample plan against raw WeasyPrint.

In one process, several times each (the median reported):

  (w) raw WeasyPrint: HTML(string=...).write_pdf() on the HTML planpack produced for
      the plan, with planpack's stylesheet parsed once beforehand (and WeasyPrint's
      own font handling, as a plain call does);
  (p) planpack's whole render: load, enrich, validate, score, history since the last
      review, the packet, the templates, the PDF and the atomic write, with the
      stylesheet and fonts prepared once per process as in a build.

Target (issue 5): p/w <= 1.15x.

    python bench/render_pdf.py [--repeat 5] [--plan plans/alpine-cold-chain.yaml]
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
from planpack.render import prepare, render_html, render_plan  # noqa: E402
from planpack.render.pdf import STYLESHEET, Renderer  # noqa: E402
from planpack.render.templates import search_path  # noqa: E402

AS_OF = date(2026, 12, 1)


def largest_plan() -> Path:
    return max((ROOT / "plans").glob("*.yaml"), key=lambda p: p.stat().st_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plan", type=Path, default=None)
    args = parser.parse_args()
    plan = args.plan or largest_plan()
    config = load_program(ROOT / "planpack.yaml")
    folders = search_path(config.path(config.program.templates_dir))
    html = render_html(prepare(plan, config, AS_OF), config)

    from weasyprint import CSS, HTML

    sheet = CSS(filename=str(Renderer(folders).find(STYLESHEET)))
    base = folders[-1].as_uri() + "/"
    renderer = Renderer(folders)
    with tempfile.TemporaryDirectory() as out:
        render_plan(plan, config, AS_OF, out=Path(out), renderer=renderer)  # warm both up
        HTML(string=html, base_url=base).write_pdf(stylesheets=[sheet])
        raw, full = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            HTML(string=html, base_url=base).write_pdf(stylesheets=[sheet])
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = render_plan(plan, config, AS_OF, out=Path(out), renderer=renderer)
            full.append(time.perf_counter() - start)
        import pypdf

        pages = len(pypdf.PdfReader(result.path).pages)
    w, p = statistics.median(raw), statistics.median(full)
    print(f"{plan.relative_to(ROOT)}: {len(result.packet.people)} stakeholders, "
          f"{len(html):,} characters of HTML")
    print(f"(w) raw WeasyPrint            median {w * 1000:.0f} ms over {args.repeat} runs")
    print(f"(p) planpack render           median {p * 1000:.0f} ms over {args.repeat} runs")
    print(f"    p/w = {p / w:.3f}x   (target <= 1.15x); pages: {pages}")


if __name__ == "__main__":
    main()
