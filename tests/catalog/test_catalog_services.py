import io

import pytest
from PIL import Image

from marketplace.catalog import services
from marketplace.catalog.images import add_product_image
from marketplace.core.errors import ValidationError


def _png(width=800, height=600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_duplicate_sku_within_a_koperasi_is_a_clear_error(db, make_product):
    product = make_product(prices=(25000,))
    sku = product.variants[0].sku
    with pytest.raises(services.DuplicateSku, match=f"SKU {sku} sudah dipakai"):
        services.add_variant(product, sku.lower(), 30000, 250)


def test_same_sku_in_another_koperasi_is_fine(db, make_product):
    first = make_product()
    second = make_product()
    variant = services.add_variant(second, first.variants[0].sku, 30000, 250)
    assert variant.sku == first.variants[0].sku


def test_negative_price_and_zero_weight_are_refused(db, make_product):
    product = make_product()
    with pytest.raises(ValidationError, match="Harga"):
        services.add_variant(product, "NEG-1", -1, 100)
    with pytest.raises(ValidationError, match="Berat"):
        services.add_variant(product, "NEG-2", 1000, 0)


def test_image_is_stored_with_a_thumbnail(app, db, make_product):
    product = make_product()
    image = add_product_image(product, _png(1600, 1200))
    media = app.config["MEDIA_DIR"]
    with Image.open(f"{media}/{image.path}") as stored, Image.open(f"{media}/{image.thumb_path}") as thumb:
        assert max(stored.size) == 1200 and max(thumb.size) == 400
    assert product.cover == image


def test_non_image_upload_is_rejected(db, make_product):
    product = make_product()
    with pytest.raises(ValidationError, match="bukan gambar"):
        add_product_image(product, b"%PDF-1.4 not an image at all")
    assert product.images == []


def test_oversized_upload_is_rejected(app, db, make_product):
    product = make_product()
    app.config["MAX_IMAGE_BYTES"], old = 1000, app.config["MAX_IMAGE_BYTES"]
    try:
        with pytest.raises(ValidationError, match="Ukuran gambar maksimal"):
            add_product_image(product, _png())
    finally:
        app.config["MAX_IMAGE_BYTES"] = old
    assert product.images == []
