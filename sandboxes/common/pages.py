"""The readable face: a read-only page per shop (items with their stock, recent orders) that refreshes itself,
so whoever runs the demo sees the stock move on "Shopee" and "TikTok Shop" when they buy on OPOP."""

from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template_string

from sandboxes.common import commerce

pages = Blueprint("pages", __name__)

LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h1{color:{{ colour }}}
table{border-collapse:collapse;margin-bottom:1.5rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .7rem;
text-align:left}td.n{text-align:right}.note{color:#777}</style></head><body>
<p class="note">{{ platform_title }} sandbox — a stand-in for the real platform, read-only.</p>
{% block body %}{% endblock %}</body></html>"""

INDEX = """{% extends layout %}{% block body %}<h1>{{ platform_title }} sandbox</h1>
{% for shop in shops %}<p><a href="/shop/{{ shop.ext_id }}">{{ shop.name }}</a> (shop {{ shop.ext_id }})</p>
{% else %}<p>No shops yet. Create one with <code>POST /_sandbox/shops</code>.</p>{% endfor %}{% endblock %}"""

SHOP = """{% extends layout %}{% block body %}<h1>{{ shop.name }}</h1><p class="note">Shop {{ shop.ext_id }}</p>
<h2>Items and stock</h2><table><tr><th>Item</th><th>Variant</th><th>SKU</th><th>Price</th><th>Stock</th></tr>
{% for product in products %}{% for variant in product.variants %}<tr><td>{{ product.name }}</td>
<td>{{ variant.name if product.has_variants else "—" }}</td><td>{{ variant.sku or "" }}</td>
<td class="n">Rp {{ "{:,}".format(variant.price).replace(",", ".") }}</td><td class="n">{{ variant.stock }}</td></tr>
{% endfor %}{% else %}<tr><td colspan="5">No items.</td></tr>{% endfor %}</table>
<h2>Recent orders</h2><table><tr><th>Order</th><th>Status</th><th>Created (UTC)</th><th>Lines</th></tr>
{% for order in orders %}<tr><td>{{ order.ext_id }}</td><td>{{ order.status }}</td>
<td>{{ when(order.create_time) }}</td>
<td>{% for line in order.lines %}{{ line.quantity }} × {{ line.sku }}{% if not loop.last %}, {% endif %}{% endfor %}
</td></tr>{% else %}<tr><td colspan="4">No orders yet.</td></tr>{% endfor %}</table>{% endblock %}"""


def _render(template: str, title: str, **context) -> str:
    platform = current_app.extensions["sandbox"].platform
    layout = current_app.jinja_env.from_string(LAYOUT)
    return render_template_string(template, layout=layout, title=title, colour=platform.colour,
                                  platform_title=platform.title, **context)


@pages.get("/")
def index():
    sb = current_app.extensions["sandbox"]
    if hasattr(sb.platform, "index_page"):  # a platform without shops (the payment sandbox) has its own
        return sb.platform.index_page()
    return _render(INDEX, f"{sb.platform.title} sandbox", shops=sb.store.all("SELECT * FROM shops ORDER BY id"))


@pages.get("/shop/<shop_id>")
def shop(shop_id):
    sb = current_app.extensions["sandbox"]
    found = commerce.get_shop(sb, shop_id)
    return _render(SHOP, found["name"], shop=found, products=commerce.products(sb, found["id"]),
                   orders=commerce.recent_orders(sb, found["id"]),
                   when=lambda ts: datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S"))
