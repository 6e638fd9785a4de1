"""Saleor's translations for catalogue names. The marketplace's base language is Indonesian; a category may carry
an English name (``Category.name_en``). ``Category.translation(languageCode: EN)`` returns it, as Saleor returns a
stored translation, and ``null`` when there is none (a client then shows ``name``)."""

from enum import Enum

import strawberry

from marketplace.api.ids import to_global_id


@strawberry.enum
class LanguageCodeEnum(Enum):
    """The codes of Saleor's enum that this marketplace answers (a subset: Indonesian and English)."""

    EN = "EN"
    EN_GB = "EN_GB"
    EN_US = "EN_US"
    ID = "ID"
    ID_ID = "ID_ID"


_LANGUAGE_NAMES = {"EN": "English", "ID": "Indonesian"}


@strawberry.type
class LanguageDisplay:
    code: LanguageCodeEnum
    language: str


@strawberry.type
class CategoryTranslation:
    id: strawberry.ID
    name: str | None
    language: LanguageDisplay


def category_translation(category_id: int, name_en: str, code: LanguageCodeEnum) -> CategoryTranslation | None:
    """English codes get the English name when one is stored; Indonesian is the base language, not a translation."""
    if not code.value.startswith("EN") or not name_en:
        return None
    return CategoryTranslation(id=strawberry.ID(to_global_id("CategoryTranslation", category_id)), name=name_en,
                               language=LanguageDisplay(code=code, language=_LANGUAGE_NAMES["EN"]))
