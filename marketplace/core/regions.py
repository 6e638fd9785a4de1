"""The 38 regencies (kabupaten) and cities (kota) of East Java.

Several names exist as both a kabupaten and a kota (Malang, Kediri, ...), so the kind is part of the key:
``kab-malang`` is not ``kota-malang``.
"""

from dataclasses import dataclass

PROVINCE = "Jawa Timur"

_KABUPATEN = (
    "Bangkalan", "Banyuwangi", "Blitar", "Bojonegoro", "Bondowoso", "Gresik", "Jember", "Jombang", "Kediri",
    "Lamongan", "Lumajang", "Madiun", "Magetan", "Malang", "Mojokerto", "Nganjuk", "Ngawi", "Pacitan", "Pamekasan",
    "Pasuruan", "Ponorogo", "Probolinggo", "Sampang", "Sidoarjo", "Situbondo", "Sumenep", "Trenggalek", "Tuban",
    "Tulungagung",
)
_KOTA = ("Batu", "Blitar", "Kediri", "Madiun", "Malang", "Mojokerto", "Pasuruan", "Probolinggo", "Surabaya")


@dataclass(frozen=True)
class Region:
    code: str
    kind: str  # "kabupaten" or "kota"
    name: str

    @property
    def label(self) -> str:
        return f"{'Kabupaten' if self.kind == 'kabupaten' else 'Kota'} {self.name}"


REGIONS: tuple[Region, ...] = tuple(
    [Region(f"kab-{n.lower()}", "kabupaten", n) for n in _KABUPATEN]
    + [Region(f"kota-{n.lower()}", "kota", n) for n in _KOTA]
)
REGIONS_BY_CODE = {r.code: r for r in REGIONS}
REGION_CODES = tuple(REGIONS_BY_CODE)
REGION_CHOICES = [(r.code, r.label) for r in REGIONS]


def region_label(code: str | None) -> str:
    region = REGIONS_BY_CODE.get(code or "")
    return region.label if region else ""
