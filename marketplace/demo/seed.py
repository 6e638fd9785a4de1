"""`flask demo seed`: a deterministic demo marketplace through the same services the app uses."""

import random
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.images import add_product_image
from marketplace.catalog.models import CertificationKind, Product, ProductStatus
from marketplace.core.background import background
from marketplace.demo import data
from marketplace.demo.images import draw_product_image
from marketplace.extensions import db
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role, VerificationStatus

DEMO_PASSWORD = "opop12345"
KOPERASI_COUNT = 44
PRODUCTS_PER_KOPERASI = 10

# Extra steps (stock, warehouses, ...) that other domains add to the demo; each gets (koperasi, products, rng).


def _user(email: str, name: str, password_hash: str, **fields) -> User:
    user = User(email=email, name=name, password_hash=password_hash, **fields)
    db.session.add(user)
    return user


def _categories() -> dict:
    by_slug = {}
    for position, (slug, name, name_en, children) in enumerate(data.CATEGORIES):
        parent = catalog.create_category(name, name_en=name_en, position=position)
        parent.slug = slug
        by_slug[slug] = parent
        for child_position, (child_slug, child_name, child_en) in enumerate(children):
            child = catalog.create_category(child_name, parent=parent, name_en=child_en, position=child_position)
            child.slug = child_slug
            by_slug[child_slug] = child
    db.session.flush()
    return by_slug


def seed_demo(with_images: bool = True, progress=lambda n, total: None) -> dict:
    """Creates the demo; refuses to run twice (it would duplicate data)."""
    if db.session.scalar(select(func.count()).select_from(Product)):
        return {"skipped": True}
    rng = random.Random(2019)
    password_hash = generate_password_hash(DEMO_PASSWORD)
    categories = _categories()
    _user("admin@demo.opop.id", "Tim OPOP Jatim", password_hash, is_opop_admin=True)
    _user("pembeli@demo.opop.id", "Siti Pembeli", password_hash, phone="+6281234567890")
    multi = _user("staf.multi@demo.opop.id", "Ahmad Multi Koperasi", password_hash)
    category_slugs = list(data.PRODUCTS)
    today = date.today()
    total_products = 0
    for k in range(KOPERASI_COUNT):
        region = data.DEMO_REGIONS[k % len(data.DEMO_REGIONS)]
        name = f"{data.PESANTREN_FIRST[k % 12]} {data.PESANTREN_SECOND[(k * 5) % 11]}"
        pesantren = koperasi_services.create_pesantren(
            f"Pondok Pesantren {name}", region,
            nspp=f"5103{35000000 + k * 137:08d}", leader=data.LEADERS[k % len(data.LEADERS)],
            address=f"Jl. Pesantren No. {k + 1}",
            description=f"Pesantren {name} membina santri dalam ilmu agama dan kewirausahaan.",
        )
        koperasi = koperasi_services.create_koperasi(
            pesantren, f"Koppontren {name}", nib=f"{9120000000000 + k * 7919}",
            legal_entity_number=f"AHU-{1000 + k:05d}.AH.01.26.TAHUN {2015 + k % 9}", region_code=region,
            npwp=f"{rng.randrange(10**14, 10**15)}", phone=f"+62812{3000000 + k:07d}",
            address=f"Jl. Pesantren No. {k + 1}",
            description=f"Koperasi pondok pesantren {name}: produk unggulan santri untuk Indonesia.",
        )
        koperasi_services.change_status(koperasi, VerificationStatus.SUBMITTED)
        koperasi_services.change_status(koperasi, VerificationStatus.VERIFIED)
        owner = _user(f"staf{k + 1:02d}@demo.opop.id", f"Pengurus {name}", password_hash)
        koperasi_services.add_member(koperasi, owner, Role.OWNER)
        if k < 2:
            koperasi_services.add_member(koperasi, multi, Role.CATALOG)
        products = []
        for p in range(PRODUCTS_PER_KOPERASI):
            slug = category_slugs[(k * 3 + p) % len(category_slugs)]
            bases, option, values, food = data.PRODUCTS[slug]
            base = bases[(k + p) % len(bases)]
            region_name = region.split("-", 1)[1].title()
            title = f"{base} {region_name} {data.PESANTREN_SECOND[(k * 5) % 11]}"
            product = catalog.create_product(
                koperasi, title, category=categories[slug],
                description=data.DESCRIPTIONS[food].format(name=base, pesantren=pesantren.name,
                                                           region=koperasi.region_label),
                status=ProductStatus.PUBLISHED if p < 9 or k % 4 else ProductStatus.DRAFT,
                is_flagship=p == 0,
            )
            product.created_at = product.created_at - timedelta(hours=k * PRODUCTS_PER_KOPERASI + p)
            bump = rng.choice([0, 1000, 2000, 5000])
            for v, (value, price, grams) in enumerate(values[: rng.randint(1, len(values))]):
                catalog.add_variant(product, f"K{k + 1:02d}-P{p + 1:02d}-{v + 1}", price + bump, grams,
                                    name=value, options={option: value})
            if food:
                kind = CertificationKind.PIRT if p % 3 else CertificationKind.BPOM
                number = f"{rng.randrange(10**14, 10**15)}" if kind == CertificationKind.PIRT else \
                    f"MD {rng.randrange(10**11, 10**12)}"
                catalog.set_certification(product, kind, number, today + timedelta(days=rng.randint(-60, 1500)))
            if food or p % 2:
                catalog.set_certification(product, CertificationKind.HALAL, f"ID{rng.randrange(10**13, 10**14)}",
                                          today + timedelta(days=rng.randint(-30, 1400)))
            if with_images:
                add_product_image(product, draw_product_image(base, slug, seed=k * 100 + p))
            products.append(product)
            total_products += 1
        for step in background(current_app).demo_steps:
            step(koperasi, products, rng)
        progress(k + 1, KOPERASI_COUNT)
    db.session.flush()
    return {"koperasi": KOPERASI_COUNT, "products": total_products}
