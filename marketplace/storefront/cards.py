"""What every product card on a page shares, worked out once per response instead of once per card: the link
prefixes (``url_for`` costs ~25 µs a call, and a listing made three per card) and the translated badges."""

from flask import Flask, g, url_for
from flask_babel import gettext as _
from markupsafe import Markup


def card_links() -> dict[str, str]:
    links = g.get("card_links")
    if links is None:
        links = g.card_links = {"product": url_for("storefront.product", slug="x")[:-1],
                                "media": url_for("media", filename="x")[:-1]}
    return links


def card_labels() -> dict[str, Markup]:
    """The card badges in the response's language (asked per response: the language can change mid-request)."""
    return {"halal": Markup('<span class="badge halal">{}</span>').format(_("Halal")),
            "flagship": Markup('<span class="badge flagship">{}</span>').format(_("Unggulan"))}


def init_cards(app: Flask) -> None:
    app.jinja_env.globals.update(card_links=card_links, card_labels=card_labels)
