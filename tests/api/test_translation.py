"""Saleor's ``Category.translation(languageCode:)``: the English name for English codes, null where none is
stored or for Indonesian (the base language, read from ``name``)."""

from marketplace.catalog import services as catalog

QUERY = """query($slug: String!, $lang: LanguageCodeEnum!) {
  category(slug: $slug) { name translation(languageCode: $lang) { id name language { code language } } } }"""


def test_category_translation(gql, db):
    coffee = catalog.create_category("Kopi Bubuk", name_en="Ground Coffee")
    plain = catalog.create_category("Anyaman Bambu")
    db.session.commit()
    english = gql(QUERY, {"slug": coffee.slug, "lang": "EN"})["data"]["category"]
    assert english["name"] == "Kopi Bubuk"
    assert english["translation"]["name"] == "Ground Coffee"
    assert english["translation"]["language"] == {"code": "EN", "language": "English"}
    assert gql(QUERY, {"slug": coffee.slug, "lang": "EN_US"})["data"]["category"]["translation"]["name"] == \
        "Ground Coffee"
    assert gql(QUERY, {"slug": coffee.slug, "lang": "ID"})["data"]["category"]["translation"] is None
    assert gql(QUERY, {"slug": plain.slug, "lang": "EN"})["data"]["category"]["translation"] is None
