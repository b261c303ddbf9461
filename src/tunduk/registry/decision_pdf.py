"""A review decision as a PDF (000 §21): the print page rendered by WeasyPrint.

WeasyPrint fetches nothing: every URL in the page is refused, and the stylesheet is
read from the project's own static files and handed over as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.contrib.staticfiles import finders

STYLESHEET = "tunduk/decision.css"


class FetchRefused(Exception):
    """A decision PDF loads no external resource (no URL, no file)."""


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise FetchRefused(url)


def _stylesheet() -> str:
    path = finders.find(STYLESHEET)
    return Path(str(path)).read_text(encoding="utf-8") if path else ""


def render_pdf(html: str) -> bytes:
    """The PDF of ``html`` (fonts from the system, Cyrillic included)."""
    # Imported here: WeasyPrint loads pango when imported, needed only for this page.
    from weasyprint import CSS, HTML

    document = HTML(string=html, url_fetcher=_refuse_fetch)
    pdf = document.write_pdf(stylesheets=[CSS(string=_stylesheet(), url_fetcher=_refuse_fetch)])
    return bytes(pdf or b"")
