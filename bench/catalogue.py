"""A deterministic synthetic catalogue of Indonesian pesantren products for the search benchmark: the demo's product
families, crossed with descriptive words, 38 regions and a thousand pesantren, with prices, stock and halal flags."""

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from marketplace.core.regions import REGIONS
from marketplace.demo import data
from search_index import ProductDocument

ADJECTIVES = [
    "Premium", "Asli", "Spesial", "Super", "Khas", "Organik", "Instan", "Kering", "Segar", "Hitam", "Putih", "Merah",
    "Hijau", "Manis", "Gurih", "Renyah", "Original", "Murni", "Pilihan", "Tradisional", "Kemasan Hemat", "Jumbo",
    "Mini", "Ekonomis", "Istimewa", "Lezat", "Harum", "Lembut", "Halus", "Kasar", "Madura", "Santri", "Berbatik",
    "Motif Kawung", "Motif Parang", "Sogan", "Bordir", "Rajut", "Anyaman", "Tulis", "Cap", "Printing",
]
SYLLABLES = ["da", "ru", "nu", "mi", "fta", "hul", "ro", "dla", "bus", "ta", "hi", "ya", "ma", "ba", "sa", "bi",
             "fa", "thu", "bai", "qi", "ha", "sa", "nah", "lu", "sy", "ri", "ka", "al", "an", "war", "ul", "im"]
WORDS = ["diproses", "higienis", "tanpa", "pengawet", "bahan", "alami", "pilihan", "cocok", "untuk", "oleh-oleh",
         "keluarga", "hadiah", "santri", "pondok", "koperasi", "produksi", "kecil", "terbatas", "dikirim", "cepat",
         "aman", "kemasan", "rapat", "tahan", "lama", "resep", "turun", "temurun", "dijamin", "halal", "enak", "sehat",
         "berkualitas", "harga", "terjangkau", "pengrajin", "lokal", "binaan", "setiap", "hari", "pesanan", "grosir"]


def _pseudo_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def categories() -> list[tuple[int, int, str, str]]:
    """(category id, root id, category words, slug) for every leaf category of the demo."""
    rows, next_id = [], 1
    for _slug, name, _en, children in data.CATEGORIES:
        root = next_id
        next_id += 1
        for child_slug, child_name, _child_en in children:
            rows.append((next_id, root, f"{child_name} {name}", child_slug))
            next_id += 1
    return rows


def generate(count: int = 100_000, seed: int = 2024) -> Iterator[ProductDocument]:
    rng = random.Random(seed)
    leaves = categories()
    pesantren = [f"Pondok Pesantren {_pseudo_name(rng)} {_pseudo_name(rng)}" for _ in range(1000)]
    start = datetime(2024, 1, 1)
    for product_id in range(1, count + 1):
        category_id, root_id, category_words, slug = leaves[rng.randrange(len(leaves))]
        bases, _option, values, food = data.PRODUCTS[slug]
        base = rng.choice(bases)
        region = REGIONS[rng.randrange(len(REGIONS))]
        k = rng.randrange(len(pesantren))
        adjectives = " ".join(rng.sample(ADJECTIVES, rng.randint(0, 2)))
        name = " ".join(part for part in (base, adjectives, region.name) if part)
        description = (
            f"{base} {adjectives.lower()} buatan santri {pesantren[k]} dari {region.label}. "
            + " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
        )
        price = rng.choice(values)[1] + rng.choice([0, 1000, 2000, 5000, 10000])
        yield ProductDocument(
            product_id=product_id, slug=f"produk-{product_id}", name=name, description=description,
            category=category_words, category_id=category_id, category_root_id=root_id,
            koperasi=f"Koppontren {pesantren[k][17:]}", pesantren=pesantren[k], region_code=region.code,
            region_label=region.label, skus=[f"K{k:04d}-P{product_id:06d}-{v}" for v in range(1, rng.randint(2, 4))],
            price=price, created_at=start + timedelta(minutes=product_id * 3), halal=food or rng.random() < 0.3,
            in_stock=rng.random() < 0.9,
        )
