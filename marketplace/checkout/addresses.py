"""Indonesian delivery addresses: provinsi → kabupaten/kota → kecamatan → kelurahan/desa, street, 5-digit kode pos."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.checkout.models import Address
from marketplace.core.errors import ValidationError
from marketplace.core.phone import normalise_phone
from marketplace.core.regions import PROVINCE, REGIONS_BY_CODE
from marketplace.extensions import db

PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan",
    "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Banten", "Jawa Barat", "Jawa Tengah",
    "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah", "Papua Pegunungan", "Papua Selatan",
)
JAVA_BALI = {"DKI Jakarta", "Banten", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali"}
FIELDS = ("recipient", "phone", "province", "city", "region_code", "district", "village", "street", "postal_code")


class AddressInvalid(ValidationError):
    """Every field's problem at once (``errors``: field -> message); ``message``/``field`` name the first, for
    callers that show one."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


def clean_address(data: dict) -> dict:
    """Validated, normalised copy of an address form. In East Java the kabupaten/kota is picked from the list
    (so shipping knows the region); elsewhere it is typed. Every field is checked before anything is refused:
    a buyer on a phone should fix the whole form in one go, not one field per submit."""
    errors: dict[str, str] = {}

    def text(name: str, message: str, limit: int) -> str:
        value = " ".join(str(data.get(name) or "").split())
        if not value:
            errors[name] = message
        return value[:limit]

    recipient = text("recipient", _("Nama penerima wajib diisi."), 120)
    phone = ""
    try:
        phone = normalise_phone(str(data.get("phone") or ""))
    except ValidationError as error:
        errors["phone"] = error.message
    province = str(data.get("province") or "")
    region_code, city = None, ""
    if province not in PROVINCES:
        errors["province"] = _("Pilih provinsi.")
    elif province == PROVINCE:
        region_code = str(data.get("region_code") or "")
        region = REGIONS_BY_CODE.get(region_code)
        if region is None:
            errors["region_code"] = _("Pilih kabupaten/kota.")
        else:
            city = region.label
    else:
        city = text("city", _("Kabupaten/kota wajib diisi."), 80)
    district = text("district", _("Kecamatan wajib diisi."), 80)
    village = text("village", _("Kelurahan/desa wajib diisi."), 80)
    street = text("street", _("Alamat jalan wajib diisi."), 300)
    postal_code = str(data.get("postal_code") or "").strip()
    if not re.fullmatch(r"[1-9]\d{4}", postal_code):
        errors["postal_code"] = _("Kode pos harus 5 digit angka.")
    if errors:
        raise AddressInvalid(errors)
    return {"recipient": recipient, "phone": phone, "province": province, "city": city, "region_code": region_code,
            "district": district, "village": village, "street": street, "postal_code": postal_code}


def remember_address(user_id: int, address: dict) -> Address:
    """Keeps the address in the buyer's address book (once), so the next checkout starts filled in."""
    existing = db.session.scalars(select(Address).where(Address.user_id == user_id)).all()
    for saved in existing:
        if all(getattr(saved, key) == address.get(key) for key in FIELDS):
            return saved
    saved = Address(user_id=user_id, **{key: address.get(key) for key in FIELDS})
    db.session.add(saved)
    db.session.flush()
    return saved


def last_address(user_id: int) -> dict | None:
    saved = db.session.scalar(select(Address).where(Address.user_id == user_id).order_by(Address.id.desc()))
    return {key: getattr(saved, key) for key in FIELDS} if saved else None


def format_address(address: dict) -> str:
    parts = [address.get("street"), address.get("village"), _("Kec. %(name)s", name=address.get("district")),
             address.get("city"), address.get("province"), address.get("postal_code")]
    return ", ".join(p for p in parts if p)
