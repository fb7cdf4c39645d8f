"""Finding and loading planpack.yaml, the programme's rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planpack.discovery import shown_path
from planpack.errors import ConfigError
from planpack.findings import Finding
from planpack.loader.document import read_mapping, validate_model
from planpack.models.program import Program, default_program, merge_over_defaults

CONFIG_NAME = "planpack.yaml"


@dataclass(frozen=True)
class ProgramConfig:
    """The programme's rules and where relative paths in them start from."""

    program: Program
    root: Path  # the folder holding planpack.yaml, or the working folder
    file: Path | None  # None: no planpack.yaml, the defaults apply

    def path(self, relative: str) -> Path:
        return self.root / relative


def find_config(start: Path) -> Path | None:
    """planpack.yaml in `start` or the nearest of its parents."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_program(config: Path | None = None, start: Path | None = None) -> ProgramConfig:
    """The given config file, else the nearest planpack.yaml, else the defaults.

    Raises ConfigError with every problem found, each with its line.
    """
    here = (start or Path.cwd()).resolve()
    file = config if config is not None else find_config(here)
    if file is None:
        return ProgramConfig(default_program(), here, None)
    shown = str(shown_path(file))
    document, findings = read_mapping(file, shown, CONFIG_NAME)
    program = None
    if document is not None:
        program, schema_findings = validate_model(
            Program, merge_over_defaults(document.data), document.source, shown
        )
        findings += schema_findings
    if findings or program is None:
        raise ConfigError(sorted(findings, key=Finding.sort_key))
    return ProgramConfig(program, file.resolve().parent, file.resolve())
