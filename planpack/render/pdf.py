"""HTML to PDF with WeasyPrint: reading only template files, the same bytes every time.

The URL fetcher serves files under the template folders and nothing else: no
network, no other file, whatever a plan's text or a template says. Each refusal
is kept, so the command can say what a template tried to load. The stylesheet is
parsed and the fonts configured once per process, since a build renders many
packets with the same ones.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from planpack.errors import PlanpackError

STYLESHEET = "packet.css"


class RenderError(PlanpackError):
    """A packet could not be rendered; nothing was written. Raised by planpack.render."""

    exit_code = 1


@dataclass
class Renderer:
    """WeasyPrint, prepared once: the fetcher, the stylesheet, the fonts."""

    folders: list[Path]
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _prepared: tuple[Any, Any, Any] | None = None

    def _prepare(self) -> tuple[Any, Any, Any]:
        if self._prepared is None:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fetcher = _fetcher(self)
            fonts = FontConfiguration()
            sheet = self.find(STYLESHEET)
            css = CSS(url=sheet.as_uri(), url_fetcher=fetcher, font_config=fonts)
            self._prepared = (fetcher, fonts, css)
        return self._prepared

    def find(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        raise RenderError(f"no template file {name!r} in {', '.join(map(str, self.folders))}")

    def allowed(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(folder) for folder in self.folders)

    def resolve(self, path: Path) -> Path | None:
        """The file to serve for `path`: the same relative path in the first template
        folder that has it (so a team's fonts/X.ttf overrides planpack's), or None."""
        resolved = path.resolve()
        for folder in self.folders:
            if resolved.is_relative_to(folder):
                relative = resolved.relative_to(folder)
                for candidate in (f / relative for f in self.folders):
                    if candidate.is_file():
                        return candidate
        return None

    def pdf(self, html: str, relative_links: bool = False) -> bytes:
        """The PDF of `html`: deterministic for the same HTML (its dates are in the HTML).

        With `relative_links`, a link such as href="acme-qbr.pdf" stays relative in the
        PDF (a reader resolves it beside the file, wherever the folder is copied), which
        needs a document without a base URL; the stylesheet keeps its own.
        """
        from weasyprint import HTML

        fetcher, fonts, css = self._prepare()
        base = None if relative_links else self.folders[-1].as_uri() + "/"
        with _captured_warnings(self.warnings):
            document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
                stylesheets=[css], font_config=fonts)
            identifier = hashlib.sha256(html.encode()).digest()[:16]
            return bytes(document.write_pdf(pdf_identifier=identifier))


def _fetcher(renderer: Renderer) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateFilesOnly(URLFetcher):  # type: ignore[misc]
        """Serves files under the template folders; refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parsed = urlparse(url)
            served = None
            if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
                served = renderer.resolve(Path(unquote(parsed.path)))
            if served is None:
                renderer.refused.append(url)
                raise ValueError(f"planpack renders only template files; refused {url}")
            return URLFetcherResponse(url, served.read_bytes())

    return TemplateFilesOnly(allowed_protocols=("file",))


@contextmanager
def _captured_warnings(into: list[str]) -> Iterator[None]:
    """WeasyPrint's warnings (an unknown CSS property, a refused URL) collected, not printed."""
    logger = logging.getLogger("weasyprint")

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            into.append(record.getMessage())

    handler = Collect(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
