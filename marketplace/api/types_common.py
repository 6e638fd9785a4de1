"""Shapes shared by every part of the schema: money, pages, channels, images, addresses."""

import json
from datetime import datetime
from enum import Enum
from typing import NewType

import strawberry
from flask import url_for

from marketplace.api.ids import to_global_id

CURRENCY = "IDR"
CHANNEL_SLUG = "default-channel"

JSONString = NewType("JSONString", object)
GenericScalar = NewType("GenericScalar", object)
UUID = NewType("UUID", str)

SCALARS = {
    JSONString: strawberry.scalar(name="JSONString", serialize=json.dumps, parse_value=json.loads,
                                  description="Arbitrary JSON, sent as a string (Saleor's JSONString)."),
    GenericScalar: strawberry.scalar(name="GenericScalar", serialize=lambda v: v, parse_value=lambda v: v,
                                     description="Any JSON value (Saleor's GenericScalar)."),
    UUID: strawberry.scalar(name="UUID", serialize=str, parse_value=str,
                            description="A checkout token (opaque; Saleor uses UUIDs)."),
}
DateTime = datetime


@strawberry.type
class Money:
    amount: float
    currency: str


def money(rupiah: int) -> Money:
    return Money(amount=float(rupiah), currency=CURRENCY)


@strawberry.type
class TaxedMoney:
    """Prices include tax (PPN) as displayed on the storefront: net equals gross, tax is zero."""

    gross: Money
    net: Money
    tax: Money
    currency: str


def taxed(rupiah: int) -> TaxedMoney:
    amount = money(rupiah)
    return TaxedMoney(gross=amount, net=amount, tax=money(0), currency=CURRENCY)


@strawberry.type
class TaxedMoneyRange:
    start: TaxedMoney | None
    stop: TaxedMoney | None


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Image:
    url: str
    alt: str | None


def media_url(path: str) -> str:
    return url_for("media", filename=path, _external=True)


@strawberry.type
class Channel:
    """One channel: the marketplace sells in rupiah to Indonesia."""

    slug: str
    name: str
    currency_code: str
    default_country: "CountryDisplay"
    is_active: bool

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Channel", 1))


@strawberry.type
class CountryDisplay:
    code: str
    country: str


INDONESIA = CountryDisplay(code="ID", country="Indonesia")
DEFAULT_CHANNEL = Channel(slug=CHANNEL_SLUG, name="OPOP Marketplace", currency_code=CURRENCY,
                          default_country=INDONESIA, is_active=True)


@strawberry.type
class MetadataItem:
    key: str
    value: str


@strawberry.type
class Address:
    """A delivery address. Indonesian parts map onto Saleor's fields: ``countryArea`` is the province, ``city`` the
    kabupaten/kota (in Jawa Timur also ``cityCode``, e.g. ``kota-surabaya``), ``cityArea`` the kecamatan,
    ``streetAddress2`` the kelurahan/desa."""

    _key: strawberry.Private[str]
    first_name: str
    last_name: str
    company_name: str
    street_address1: str
    street_address2: str
    city: str
    city_area: str
    postal_code: str
    country: CountryDisplay
    country_area: str
    phone: str | None
    is_default_shipping_address: bool | None = None
    is_default_billing_address: bool | None = None
    city_code: str | None = None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Address", self._key))


def address_from_dict(data: dict | None, key: str = "checkout") -> Address | None:
    if not data:
        return None
    first, _sep, last = (data.get("recipient") or "").partition(" ")
    return Address(_key=key, first_name=first, last_name=last, company_name="",
                   street_address1=data.get("street") or "", street_address2=data.get("village") or "",
                   city=data.get("city") or "", city_area=data.get("district") or "",
                   postal_code=data.get("postal_code") or "", country=INDONESIA,
                   country_area=data.get("province") or "", phone=data.get("phone"),
                   city_code=data.get("region_code"))


@strawberry.enum
class CountryCode(Enum):
    ID = "ID"


@strawberry.input
class AddressInput:
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    street_address1: str | None = None
    street_address2: str | None = None
    city: str | None = None
    city_area: str | None = None
    postal_code: str | None = None
    country: CountryCode | None = None
    country_area: str | None = None
    phone: str | None = None
    city_code: str | None = strawberry.field(default=None, description="Jawa Timur only: kabupaten/kota code.")


def address_input_to_dict(data: AddressInput) -> dict:
    """Saleor's address fields as the checkout's address form (validated by ``checkout.addresses``)."""
    from marketplace.core.regions import PROVINCE, REGIONS

    region_code = data.city_code
    if not region_code and (data.country_area or "") == PROVINCE:
        wanted = " ".join((data.city or "").lower().split())
        region_code = next((r.code for r in REGIONS if wanted in (r.label.lower(), r.code)), None)
    recipient = " ".join(part for part in (data.first_name, data.last_name) if part)
    return {"recipient": recipient, "phone": data.phone or "", "province": data.country_area or "",
            "region_code": region_code or "", "city": data.city or "", "district": data.city_area or "",
            "village": data.street_address2 or "", "street": data.street_address1 or "",
            "postal_code": data.postal_code or ""}


def check_channel(channel: str | None) -> None:
    from marketplace.api.errors import not_found

    if channel is not None and channel != CHANNEL_SLUG:
        raise not_found(f"Channel with '{channel}' slug does not exist.")

