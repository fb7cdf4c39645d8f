"""What an installed planpack contains: every subpackage, and the default templates."""

from __future__ import annotations

import tomllib

from conftest import ROOT

from planpack.render.templates import builtin_dir


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(path.parent.relative_to(ROOT).parts)
             for path in (ROOT / "planpack").rglob("__init__.py")}
    assert listed == found | {"planpack.templates"}


def test_the_default_templates_are_a_package() -> None:
    folder = builtin_dir()
    assert folder.resolve() == (ROOT / "templates").resolve()
    for name in ("base.html.j2", "qbr.html.j2", "checkin.html.j2", "packet.css",
                 "fonts/DejaVuSans.ttf", "fonts/LICENSE.txt"):
        assert (folder / name).is_file(), name
