"""How a build reports as it goes: a bar on a terminal, one line per plan in a CI log."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from planpack.build.run import Progress
from planpack.build.worker import Done


class Lines(Progress):
    """One line per plan built or failed; verbose, also the plans unchanged and each
    worker's peak memory (it should stay flat: workers are recycled)."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.count, self.total = 0, 0

    def start(self, total: int, unchanged: int) -> None:
        self.total = total
        if not self.quiet:
            click.echo(f"{total} plan{'s' if total != 1 else ''} to build, {unchanged} "
                       "unchanged")

    def unchanged(self, shown: str) -> None:
        if self.verbose:
            click.echo(f"unchanged {shown}")

    def done(self, item: Done) -> None:
        self.count += 1
        if item.error:
            click.echo(f"FAILED {item.error}", err=True)
        elif not self.quiet:
            files = ", ".join(name for name, _ in item.outputs)
            worker = (f"; worker {item.pid}, peak {item.peak_kb // 1024} MB" if self.verbose
                      else "")
            click.echo(f"[{self.count}/{self.total}] built {item.shown} ({files}; "
                       f"{item.seconds:.1f} s{worker})")


class Bar(Lines):
    """A progress bar: plans done, the plan just finished, the time left."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        super().__init__(quiet, verbose)
        self.bar: Any = None
        self.started = time.perf_counter()

    def start(self, total: int, unchanged: int) -> None:
        self.total = total
        click.echo(f"{total} plan{'s' if total != 1 else ''} to build, {unchanged} unchanged")
        if total:
            self.bar = click.progressbar(length=total, label="Building", show_eta=True,
                                         show_pos=True, item_show_func=lambda s: s, width=24)
            self.bar.__enter__()

    def done(self, item: Done) -> None:
        self.count += 1
        if item.error:
            click.echo(f"\nFAILED {item.error}", err=True)
        if self.bar is not None:
            self.bar.update(1, item.shown)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def for_terminal(quiet: bool, verbose: bool) -> Progress:
    if not quiet and sys.stdout.isatty():
        return Bar(quiet, verbose)
    return Lines(quiet, verbose)
