"""Demo step: a shipping rate table per koperasi (runs right after the inventory step: same random sequence)."""

from marketplace.checkout.shipping import set_rate_table, standard_rate_rows


def seed_shipping(koperasi, products, rng) -> None:
    set_rate_table(koperasi.id, standard_rate_rows(scale=0.9 + rng.random() * 0.3))
