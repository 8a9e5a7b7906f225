"""HTML documents as PDF, through WeasyPrint (imported only here, only when a PDF is asked for).

WeasyPrint is a Python wheel, but it draws text with the system's Pango/HarfBuzz/fontconfig
libraries and fonts: a machine without them must get one line saying what to install, and a
document whose characters no installed font has must be refused rather than written with
empty boxes where the Chinese should be.
"""

from __future__ import annotations

import logging
from typing import Any

from salesflow.errors import SalesflowError
from salesflow.i18n import N_, _

INSTALL_LIBS = N_(
    "install WeasyPrint's system libraries (Debian/Ubuntu: apt-get install libpango-1.0-0 "
    "libpangoft2-1.0-0 libharfbuzz-subset0; macOS: brew install pango)"
)
INSTALL_FONTS = N_("install a font that has them (Debian/Ubuntu: apt-get install fonts-noto-cjk)")


def html_to_pdf(html: str) -> bytes:
    """The PDF of one self-contained HTML document (A4 and margins come from its print CSS)."""
    weasyprint = _engine()
    missing = _MissingGlyphs()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(missing)
    try:
        data = weasyprint.HTML(string=html, base_url=None).write_pdf()
    finally:
        logger.removeHandler(missing)
    if missing.chars:
        shown = "".join(sorted(missing.chars)[:8])
        raise SalesflowError(
            _("no installed font has the characters {chars} — {fonts}; no PDF was written").format(
                chars=repr(shown), fonts=_(INSTALL_FONTS)
            )
        )
    return data


def _engine() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise SalesflowError(
            _("PDF needs WeasyPrint — pip install weasyprint (in salesflow's virtualenv), then ")
            + _(INSTALL_LIBS)
        ) from None
    except OSError as e:
        # The wheel is there but cffi cannot load Pango (or one of its libraries).
        raise SalesflowError(
            _("PDF needs libraries WeasyPrint could not load ({why}) — {libs}").format(
                why=_first_line(e), libs=_(INSTALL_LIBS)
            )
        ) from None
    return weasyprint


def _first_line(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


class _MissingGlyphs(logging.Handler):
    """Collects the characters WeasyPrint drew as .notdef boxes (it logs each one)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.chars: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(".notdef") and record.args:
            self.chars.add(str(record.args[0]))
