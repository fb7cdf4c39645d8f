"""Benchmark: `planpack build` on one core and two, and a no-op rebuild of 1,000 plans.

In one run, each as its own `planpack` process, the way CI runs it:

  (j1) build 100 generated plans (PDF, and the roll-ups) with --jobs 1,
  (j2) the same 100 plans into a fresh folder with --jobs 2;
  then 1,000 generated plans in a git repository, built once (decks: the setup),
  (n)  a rebuild of the 1,000 with nothing changed, and
  (v)  `planpack validate` of the same 1,000 (the baseline),
  (n) and (v) interleaved several times, the medians reported.

Prints the ratios and each worker's peak memory (from `build -v`) at the start and
end of its life. Targets (issue 7): j1/j2 >= 1.7; n/v <= 2; peak memory flat.

    python bench/build.py [--plans 100] [--noop-plans 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plangen import write_plans

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 12, 1)
PLANPACK = [sys.executable, "-m", "planpack"]
WORKER = re.compile(r"worker (\d+), peak (\d+) MB")


def run(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([*PLANPACK, *args], cwd=cwd, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"planpack {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stdout


def program(folder: Path, plans: int, managers: int) -> Path:
    """A programme folder: the repository's planpack.yaml and `plans` generated plans."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "planpack.yaml", folder / "planpack.yaml")
    write_plans(folder / "plans", plans, AS_OF, managers=managers)
    return folder


def memory(output: str) -> dict[int, list[int]]:
    peaks: dict[int, list[int]] = defaultdict(list)
    for match in WORKER.finditer(output):
        peaks[int(match[1])].append(int(match[2]))
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--noop-plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    build = ["build", "--offline", "--as-of", AS_OF.isoformat(), "-v"]
    with tempfile.TemporaryDirectory() as tmp:
        small = program(Path(tmp) / "small", args.plans, managers=10)
        j1, out1 = run([*build, "--jobs", "1", "--out", "out1"], small)
        j2, out2 = run([*build, "--jobs", "2", "--out", "out2"], small)
        print(f"{args.plans} plans, PDF and roll-ups for 10 managers:")
        print(f"(j1) --jobs 1   {j1:6.1f} s")
        print(f"(j2) --jobs 2   {j2:6.1f} s")
        print(f"     j1/j2 = {j1 / j2:.2f}x   (target >= 1.7x)")
        print("peak memory per worker (MB) after its first plan, its middle one, its last:")
        for label, output in (("--jobs 1", out1), ("--jobs 2", out2)):
            for pid, peaks in memory(output).items():
                print(f"     {label} worker {pid}: {peaks[0]} -> {peaks[len(peaks) // 2]} -> "
                      f"{peaks[-1]} over {len(peaks)} plans")

        large = program(Path(tmp) / "large", args.noop_plans, managers=100)
        env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
        for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "plans"]):
            subprocess.run(["git", *command], cwd=large, env=env, check=True)
        deck = [*build, "--format", "pptx", "--jobs", "2"]
        setup, _ = run(deck, large)
        noop: list[float] = []
        validate: list[float] = []
        for _ in range(args.repeat):
            seconds, output = run(deck, large)
            if f"0 plans to build, {args.noop_plans} unchanged" not in output:
                sys.exit(f"the rebuild was not a no-op:\n{output[:2000]}")
            noop.append(seconds)
            validate.append(run(["validate", "--as-of", AS_OF.isoformat(), "plans"],
                                large)[0])
    n, v = statistics.median(noop), statistics.median(validate)
    print(f"{args.noop_plans} plans in git (first build of their decks: {setup:.1f} s):")
    print(f"(n) no-op rebuild     median {n:6.2f} s over {args.repeat} runs")
    print(f"(v) planpack validate median {v:6.2f} s over {args.repeat} runs")
    print(f"     n/v = {n / v:.2f}x   (target <= 2x)")


if __name__ == "__main__":
    main()
