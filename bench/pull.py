"""Benchmark: `planpack pull` of 500 accounts from the stand-in Salesforce.

Starts the stand-in (tests/support/salesforce_standin.py) in its own process
with a generated org (500 accounts, about 10,000 contacts, 5,000 opportunities
and 50,000 tasks and events), writes one plan per account, runs `planpack pull`
in its own process against it over HTTPS, and prints:

  - the API requests planpack made, beside what one query per account and
    object would take (the naive baseline), as a ratio;
  - the CPU time of the planpack process itself (user + system).

Targets (issue 3): at most 60 requests, and under 5 s of CPU.

    python bench/pull.py [--accounts 500]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STANDIN = ROOT / "tests" / "support" / "salesforce_standin.py"
OBJECTS_PER_ACCOUNT = 6  # account, children, contacts, opportunities, tasks, events


def plan(n: int, account_id: str) -> str:
    return (
        "# yaml-language-server: $schema=../plan.schema.json\n"
        "schema_version: 1\n"
        f"account:\n  name: Account {n}\n  salesforce_id: {account_id}\n  tier: 3\n"
        "team:\n  owner: owner@example.com\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=500)
    args = parser.parse_args()
    scale = args.accounts / 500
    standin = subprocess.Popen(
        [sys.executable, str(STANDIN), "--accounts", str(args.accounts),
         "--contacts", str(int(10_000 * scale)), "--opportunities", str(int(5_000 * scale)),
         "--activities", str(int(50_000 * scale))],
        stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True, cwd=ROOT,
    )
    work = Path(tempfile.mkdtemp(prefix="planpack-bench-pull-"))
    try:
        assert standin.stdout is not None
        info = json.loads(standin.stdout.readline())
        (work / "plans").mkdir()
        for n, account_id in enumerate(info["account_ids"]):
            (work / "plans" / f"account-{n:04d}.yaml").write_text(plan(n, account_id),
                                                                   encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SF_")}
        env.update(SF_INSTANCE_URL=info["url"], SF_ACCESS_TOKEN=info["token"],
                   REQUESTS_CA_BUNDLE=info["ca_file"])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(
            [str(Path(sys.executable).parent / "planpack"), "pull", "plans"],
            cwd=work, env=env, capture_output=True, text=True, check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            sys.exit(f"planpack pull failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        print(result.stdout.strip())
        match = re.search(r"in ([\d,]+) API requests?", result.stdout)
        assert match, result.stdout
        made = int(match.group(1).replace(",", ""))
        naive = args.accounts * OBJECTS_PER_ACCOUNT
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        snapshots = list((work / ".planpack" / "snapshots").glob("*.json"))
        print(f"snapshots written: {len(snapshots)}; wall time {wall:.1f} s")
        print(f"API requests: {made} vs {naive} for one query per account and object: "
              f"{made / naive:.3f}x (target: at most 60 requests)")
        print(f"CPU time of the planpack process: {cpu:.2f} s (target: under 5 s)")
    finally:
        standin.terminate()
        standin.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
