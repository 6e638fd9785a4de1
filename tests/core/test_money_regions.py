from marketplace.core.money import format_rupiah
from marketplace.core.regions import REGIONS, REGIONS_BY_CODE


def test_rupiah_is_written_with_dot_groups():
    assert format_rupiah(25000) == "Rp 25.000"
    assert format_rupiah(1250000) == "Rp 1.250.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-5000) == "-Rp 5.000"


def test_all_38_regions_keep_their_kind():
    assert len(REGIONS) == 38
    assert REGIONS_BY_CODE["kab-malang"].label == "Kabupaten Malang"
    assert REGIONS_BY_CODE["kota-malang"].label == "Kota Malang"
    assert sum(r.kind == "kota" for r in REGIONS) == 9
