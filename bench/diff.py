"""Benchmark: `planpack diff` between the first and last of 50 commits to 200 plans.

Builds a repository of 200 generated plans (bench/plangen.py, about 270 lines each)
with 50 commits that complete actions, move due dates and change sentiments, then
times, in the same run, each as its own process and the median of several runs:

  (g) `git diff --stat FIRST LAST`, the plain git baseline;
  (p) `planpack diff FIRST LAST`;
  (s) `planpack --version`, the interpreter and CLI start-up alone, and
  (m) `planpack schema`, start-up with the pydantic models loaded (as reading
      planpack.yaml needs them), the floor of any command that reads a plan;

and counts the git processes `planpack diff` starts, for 50 and for 200 plans: the
count must not grow with the number of plans. Target (issue 4): p/g <= 5x.

    python bench/diff.py [--plans 200] [--commits 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plangen import plan_text

AS_OF = date(2026, 12, 1)
BIN = Path(sys.executable).parent


def git(repo: Path, *args: str, when: str = "2026-10-01T12:00:00Z") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def build(repo: Path, plans: int, commits: int) -> tuple[str, str]:
    (repo / "plans").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    rng = random.Random(7)
    texts = {n: plan_text(n, AS_OF) for n in range(plans)}
    for n, text in texts.items():
        (repo / "plans" / f"account-{n:04d}.yaml").write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "plans")
    first = git(repo, "rev-parse", "HEAD")
    for c in range(1, commits):
        for n in rng.sample(range(plans), max(1, plans // 33)):
            text = texts[n]
            for old, new in (("status: open", "status: done"),
                             ("sentiment: neutral", "sentiment: supporter"),
                             (f"due: {(AS_OF.replace(day=6)).isoformat()}",
                              f"due: {(AS_OF.replace(day=20)).isoformat()}")):
                if rng.random() < 0.6:
                    text = text.replace(old, new, 1)
            texts[n] = text
            (repo / "plans" / f"account-{n:04d}.yaml").write_text(text, encoding="utf-8")
        git(repo, "commit", "-q", "--allow-empty", "-am", f"update {c}",
            when=f"2026-10-{1 + c % 28:02d}T12:00:00Z")
    return first, git(repo, "rev-parse", "HEAD")


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env,
                            check=False)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def git_processes(repo: Path, first: str, last: str, work: Path) -> int:
    """How many git processes one `planpack diff` starts (a counting wrapper on PATH)."""
    real = shutil.which("git")
    assert real is not None
    wrapper = work / "bin" / "git"
    wrapper.parent.mkdir(exist_ok=True)
    log = work / f"git-{repo.name}.log"
    wrapper.write_text(f'#!/bin/sh\necho x >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    timed([str(BIN / "planpack"), "diff", first, last, "--as-of", AS_OF.isoformat()], repo, env)
    return len(log.read_text().splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planpack-bench-diff-"))
    try:
        repo = work / "repo"
        first, last = build(repo, args.plans, args.commits)
        changed = git(repo, "diff", "--stat", first, last).splitlines()[-1].strip()
        print(f"{args.plans} plans, {args.commits} commits: {changed}")
        commands = {
            "g": ["git", "diff", "--stat", first, last],
            "p": [str(BIN / "planpack"), "diff", first, last, "--as-of", AS_OF.isoformat()],
            "s": [str(BIN / "planpack"), "--version"],
            "m": [str(BIN / "planpack"), "schema"],
        }
        timed(commands["p"], repo)  # warm the caches
        times: dict[str, list[float]] = {key: [] for key in commands}
        for _ in range(args.repeat):
            for key, command in commands.items():
                times[key].append(timed(command, repo))
        g, p, s, m = (statistics.median(times[k]) for k in "gpsm")
        print(f"(g) git diff --stat        median {g * 1000:.0f} ms")
        print(f"(p) planpack diff          median {p * 1000:.0f} ms: p/g = {p / g:.1f}x "
              "(target <= 5x)")
        print(f"(s) planpack --version     median {s * 1000:.0f} ms: s/g = {s / g:.1f}x "
              "(start-up alone)")
        print(f"(m) planpack schema        median {m * 1000:.0f} ms: m/g = {m / g:.1f}x "
              "(start-up with the models)")
        small = work / "small"
        small_first, small_last = build(small, max(1, args.plans // 4), args.commits)
        few = git_processes(small, small_first, small_last, work)
        many = git_processes(repo, first, last, work)
        print(f"git processes per planpack diff: {few} for {max(1, args.plans // 4)} plans, "
              f"{many} for {args.plans} plans")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
