"""Shipping cost (ongkir): each koperasi's rate table, by courier, destination zone and weight (whole kilograms,
rounded up, as Indonesian couriers charge)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select

from marketplace.checkout.addresses import JAVA_BALI
from marketplace.checkout.models import COURIER_NAMES, Courier, ShippingRate, Zone
from marketplace.core.errors import ValidationError
from marketplace.core.regions import PROVINCE
from marketplace.extensions import db


@dataclass(frozen=True)
class ShippingOption:
    courier: Courier
    name: str
    price: int
    etd_days: str


def zone_for(origin_region_code: str, address: dict) -> Zone:
    if address.get("province") == PROVINCE:
        return Zone.SAME_CITY if address.get("region_code") == origin_region_code else Zone.PROVINCE
    return Zone.JAVA if address.get("province") in JAVA_BALI else Zone.OUTSIDE


def billable_kg(weight_grams: int) -> int:
    return max(1, -(-weight_grams // 1000))


def price_for(rate: ShippingRate, weight_grams: int) -> int:
    return rate.first_kg + rate.next_kg * (billable_kg(weight_grams) - 1)


def options_for(koperasi_id: int, origin_region_code: str, address: dict, weight_grams: int) -> list[ShippingOption]:
    zone = zone_for(origin_region_code, address)
    rates = db.session.scalars(
        select(ShippingRate).where(ShippingRate.koperasi_id == koperasi_id, ShippingRate.zone == zone)
        .order_by(ShippingRate.first_kg, ShippingRate.courier)
    )
    return [ShippingOption(r.courier, COURIER_NAMES[r.courier], price_for(r, weight_grams), r.etd_days) for r in rates]


def set_rate_table(koperasi_id: int, rows: list[tuple[str, str, int, int, str]]) -> list[ShippingRate]:
    """Replaces a koperasi's rate table with rows of (courier, zone, first kg, next kg, etd)."""
    db.session.execute(delete(ShippingRate).where(ShippingRate.koperasi_id == koperasi_id))
    created = []
    for courier, zone, first_kg, next_kg, etd in rows:
        if courier not in Courier.__members__.values() or zone not in Zone.__members__.values():
            raise ValidationError(_("Kurir atau zona tidak dikenal."))
        if first_kg < 0 or next_kg < 0:
            raise ValidationError(_("Tarif tidak boleh negatif."))
        rate = ShippingRate(koperasi_id=koperasi_id, courier=Courier(courier), zone=Zone(zone), first_kg=first_kg,
                            next_kg=next_kg, etd_days=etd)
        db.session.add(rate)
        created.append(rate)
    db.session.flush()
    return created


def standard_rate_rows(scale: float = 1.0) -> list[tuple[str, str, int, int, str]]:
    """A plausible rate table (prices in rupiah per kg), scaled per koperasi for the demo and tests."""
    base = {
        Courier.JNE: (9000, 16000, 28000, 52000, 1),
        Courier.JNT: (8500, 15000, 27000, 50000, 1),
        Courier.SICEPAT: (8000, 14000, 26000, 49000, 1),
        Courier.POS: (7000, 12000, 24000, 45000, 2),
    }
    etd = {Zone.SAME_CITY: "1-2", Zone.PROVINCE: "2-3", Zone.JAVA: "2-4", Zone.OUTSIDE: "4-7"}
    rows = []
    for courier, prices in base.items():
        for zone, price in zip(Zone, prices[:4], strict=True):
            first = int(round(price * scale, -2))
            slow = prices[4] - 1
            days = etd[zone] if not slow else "-".join(str(int(d) + slow) for d in etd[zone].split("-"))
            rows.append((courier.value, zone.value, first, int(round(first * 0.8, -2)), days))
    return rows
