"""Buyer pages. Each view parses the request, calls the catalogue read model and renders; the page cache in front
of them (``cached_page``) keys each page by the catalogue versions it depends on."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from marketplace.catalog import queries, read_model
from marketplace.catalog.read_model import ListingFilters
from marketplace.core.errors import NotFound
from marketplace.core.pagination import parse_page
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.koperasi.services import pesantren_by_slug, verified_koperasi_by_slug
from marketplace.storefront.cache import cached_page, product_versions

bp = Blueprint("storefront", __name__)


def _per_page() -> int:
    return current_app.config["PRODUCTS_PER_PAGE"]


@bp.get("/")
@cached_page()
def home():
    return render_template("storefront/home.html", **read_model.home_sections(), categories=queries.category_tree(),
                           regions=queries.regions_with_products()[:12])


def _filter_regions() -> list[tuple]:
    """Only kabupaten/kota that have products, A–Z: a region with nothing to show would be a dead end."""
    return sorted(queries.regions_with_products(), key=lambda region_count: region_count[0].label)


@bp.get("/produk")
@cached_page()
def all_products():
    filters = ListingFilters.from_args(request.args)
    page = read_model.list_cards(filters, parse_page(request.args.get("hal")), _per_page())
    return render_template("storefront/listing.html", page=page, filters=filters, category=None,
                           filter_regions=_filter_regions())


@bp.get("/kategori/<slug>")
@cached_page()
def category(slug: str):
    category, ids = queries.category_with_descendants(slug)
    filters = ListingFilters.from_args(request.args)
    filters.category_ids = ids
    page = read_model.list_cards(filters, parse_page(request.args.get("hal")), _per_page())
    return render_template("storefront/listing.html", page=page, filters=filters, category=category,
                           filter_regions=_filter_regions())


@bp.get("/produk/<slug>")
@cached_page(product_versions)
def product(slug: str):
    product = read_model.product_detail(slug)
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    more = read_model.list_cards(ListingFilters(koperasi_id=product.koperasi.id), 1, 9, count=False)
    related = [p for p in more.items if p.id != product.id][:8]
    return render_template("storefront/product.html", product=product, related=related)


@bp.get("/koperasi/<slug>")
@cached_page()
def koperasi(slug: str):
    koperasi = verified_koperasi_by_slug(slug)
    filters = ListingFilters.from_args(request.args)
    filters.koperasi_id = koperasi.id
    page = read_model.list_cards(filters, parse_page(request.args.get("hal")), _per_page())
    return render_template("storefront/koperasi.html", koperasi=koperasi, page=page, filters=filters)


@bp.get("/pesantren/<slug>")
@cached_page()
def pesantren(slug: str):
    pesantren = pesantren_by_slug(slug)
    filters = ListingFilters.from_args(request.args)
    filters.pesantren_id = pesantren.id
    page = read_model.list_cards(filters, parse_page(request.args.get("hal")), _per_page())
    return render_template("storefront/pesantren.html", pesantren=pesantren, page=page, filters=filters)


@bp.get("/wilayah")
@cached_page()
def regions():
    return render_template("storefront/regions.html", counts=queries.region_counts())


@bp.get("/wilayah/<code>")
@cached_page()
def region(code: str):
    region = REGIONS_BY_CODE.get(code)
    if region is None:
        raise NotFound("")
    filters = ListingFilters.from_args(request.args)
    filters.region_codes = [code]
    page = read_model.list_cards(filters, parse_page(request.args.get("hal")), _per_page())
    return render_template("storefront/region.html", region=region, page=page, filters=filters,
                           koperasi_list=queries.verified_koperasi_in_region(code))
