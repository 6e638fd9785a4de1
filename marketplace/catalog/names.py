"""Category names in the visitor's language. Categories are data, not template text, so their English name is a
column (``Category.name_en``, set by the OPOP team); a category without one shows its Indonesian name."""

from flask_babel import get_locale


def category_name(category) -> str:
    """The name to show for a category row or read-model reference (anything with ``name`` and ``name_en``)."""
    if category is None:
        return ""
    english = getattr(category, "name_en", "") or ""
    if english and _language() == "en":
        return english
    return category.name


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else ""
