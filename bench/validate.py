"""Benchmark: `planpack validate` against plain YAML parsing and check-jsonschema.

Generates 1,000 plans of about 270 lines, then times, in the same run:

  (a) parsing them with PyYAML's C loader and nothing else (the floor),
  (b) `planpack validate` on them (the whole command: start-up, schema, rules),
  (c) `check-jsonschema` with plan.schema.json on the same files (a peer),

and, for the record, (b1) `planpack validate --jobs 1`: the same on one core.

Each is run as its own process, the same way, several times, interleaved so
that a busy machine slows all three alike; the median of each is reported and
the figures are printed as ratios. Targets (issue 2): b/a <= 1.5 (aim < 1.0),
c/b >= 10.

    python bench/validate.py [--plans 1000] [--repeat 5] [--peer-repeat 1]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plangen import write_plans

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 12, 1)

PARSE_ONLY = """
import sys, yaml
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
"""


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark command failed ({result.returncode}): {' '.join(command[:3])} ...\n"
                 f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=1,
                        help="runs of check-jsonschema (slow; 0 to skip it)")
    args = parser.parse_args()

    peer = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if args.peer_repeat and peer is None:
        sys.exit("check-jsonschema is not installed: pip install -e '.[bench]' (make bench)")
    planpack = str(Path(sys.executable).parent / "planpack")

    work = Path(tempfile.mkdtemp(prefix="planpack-bench-"))
    try:
        shutil.copy(ROOT / "plan.schema.json", work / "plan.schema.json")
        files = write_plans(work / "plans", args.plans, AS_OF)
        names = [str(p.relative_to(work)) for p in files]
        lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files) / len(files)
        print(f"{len(files)} plans, {lines:.0f} lines each on average, in {work}")

        commands = {
            "a": [sys.executable, "-c", PARSE_ONLY, *names],
            "b": [planpack, "validate", "plans", "--as-of", AS_OF.isoformat()],
            "b1": [planpack, "validate", "plans", "--as-of", AS_OF.isoformat(), "--jobs", "1"],
            "c": [peer or "check-jsonschema", "--schemafile", "plan.schema.json", *names],
        }
        times: dict[str, list[float]] = {"a": [], "b": [], "b1": [], "c": []}
        timed(commands["b"], work)  # warm the file cache and .pyc files
        for run in range(args.repeat):
            for key in ("a", "b", "b1"):
                times[key].append(timed(commands[key], work))
            if run < args.peer_repeat:
                times["c"].append(timed(commands["c"], work))

        a, b = statistics.median(times["a"]), statistics.median(times["b"])
        print(f"(a) PyYAML C loader, parse only    median {a:.2f} s over {len(times['a'])} runs")
        print(f"(b) planpack validate              median {b:.2f} s over {len(times['b'])} runs")
        print(f"    b/a = {b / a:.2f}x   (target <= 1.5x, aim < 1.0x)")
        b1 = statistics.median(times["b1"])
        print(f"(b1) planpack validate --jobs 1    median {b1:.2f} s: b1/a = {b1 / a:.2f}x")
        if times["c"]:
            c = statistics.median(times["c"])
            runs = len(times["c"])
            print(f"(c) check-jsonschema               median {c:.2f} s over {runs} runs")
            print(f"    c/b = {c / b:.1f}x   (target >= 10x: planpack that many times faster)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
