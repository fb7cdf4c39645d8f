"""Which files are plans: the paths given, folders searched for *.yaml."""

from __future__ import annotations

from pathlib import Path

from planpack.errors import InputPathError

SUFFIXES = (".yaml", ".yml")


def shown_path(path: Path) -> Path:
    """`path` relative to the working folder when it is inside it: short messages, and
    the repository-relative paths that CI annotations need."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def plan_files(paths: list[Path]) -> list[Path]:
    """Files as given, and the *.yaml files under folders (hidden folders skipped), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*")
                if p.suffix in SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                raise InputPathError(f"{path}: no plan files (*.yaml) in this folder")
            found += inside
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise InputPathError(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())
