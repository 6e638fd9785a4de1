"""On a 390-px phone the product photos are one swipeable row (they stacked, a screen tall each), and the variant
shows its shipping weight as such, not beside its size as if it were another size."""

from marketplace.catalog.images import add_product_image
from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.payments.test_stripe_end_to_end import _shop
from tests.seller_fixtures import png_bytes


def test_photos_swipe_sideways_on_a_phone(live_app, phone):
    app = live_app
    shop = _shop(app)
    with app.app_context():
        product = db.session.get(Product, shop["product"])
        for color in ((200, 40, 40), (40, 200, 40), (40, 40, 200)):
            add_product_image(product, png_bytes(size=(800, 800), color=color))
        db.session.commit()
    base = app.config["PUBLIC_BASE_URL"]
    phone.goto(f"{base}/produk/{shop['product_slug']}")
    gallery = phone.locator(".gallery")
    box = gallery.bounding_box()
    assert box["height"] < 844 * 0.75  # one photo tall, not three
    assert phone.evaluate("(() => { const g = document.querySelector('.gallery'); "
                          "return g.scrollWidth > g.clientWidth * 2; })()")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    gallery.evaluate("g => g.scrollBy(g.clientWidth, 0)")
    phone.wait_for_timeout(300)
    assert gallery.evaluate("g => g.scrollLeft") > 0
    assert "berat kirim 380 g" in phone.content()
