"""The HTML rendering of a card document (also the source of the PDF).

The Jinja2 environment is built on first use, not at import, and always escapes: every string
of a card is untrusted text. Templates live in ``templates/`` inside the package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from cardinal.documents.model import CardDocument
from cardinal.documents.outline import outline_of
from cardinal.documents.sign_off import INTRO, NO_DECISIONS, TITLE
from cardinal.documents.text import NOT_PROVIDED, utc

_WORDING = {
    "not_provided": NOT_PROVIDED,
    "sign_off_title": TITLE,
    "sign_off_intro": INTRO,
    "no_decisions": NO_DECISIONS,
}
# A table cell gets "overflow-wrap: anywhere" only when it holds a word this long: letting every
# cell break anywhere makes WeasyPrint's table layout several times slower.
LONG_WORD = 24


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("cardinal.documents", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.tests["long_word"] = _has_long_word
    return environment


def _has_long_word(text: str) -> bool:
    return any(len(word) > LONG_WORD for word in text.split())


def render_html(document: CardDocument, *, charts_as_images: bool = False) -> str:
    """The card version as one self-contained HTML page (styles and charts inline).

    ``charts_as_images`` draws each chart as an ``<img>`` of an SVG ``data:`` URL rather than an
    inline ``<svg>``: the same drawing, read faster by the PDF renderer."""
    template = _environment().get_template("card.html.j2")
    return template.render(
        document=document,
        outline=outline_of(document),
        generated_iso=utc(document.generated_at).isoformat(),
        inline_styles=True,
        charts_as_images=charts_as_images,
        **_WORDING,
    )


def render_html_parts(document: CardDocument) -> CardParts:
    """What the card version says (the linked package and its sections) and its sign-off, as
    HTML fragments for a page of the web UI: no inline style, so a strict Content-Security-Policy
    holds; the page's own stylesheet styles them."""
    environment = _environment()
    values = {
        "outline": outline_of(document),
        "inline_styles": False,
        "charts_as_images": False,
        **_WORDING,
    }
    return CardParts(
        content=Markup(environment.get_template("_content.html.j2").render(values)),
        sign_off=Markup(environment.get_template("_sign_off.html.j2").render(values)),
    )


@dataclass(frozen=True)
class CardParts:
    content: Markup
    sign_off: Markup
