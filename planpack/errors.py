"""The exceptions planpack's stages raise; the CLI maps them to exit codes.

Bad plans are not exceptions: they are findings, collected and reported
together. These are for what stops a whole command.
"""

from __future__ import annotations

from planpack.findings import Finding


class PlanpackError(Exception):
    """Base class. `exit_code` follows the CLI's contract: 1 failed, 2 usage or config."""

    exit_code = 1


class ConfigError(PlanpackError):
    """planpack.yaml cannot be read or is invalid. Raised by loader.program."""

    exit_code = 2

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class InputPathError(PlanpackError):
    """A path given on the command line does not exist or holds no plans."""

    exit_code = 2
