import pytest

from marketplace.core.errors import NoAccess, NotFound, ValidationError
from marketplace.koperasi import services
from marketplace.koperasi.models import Role, VerificationStatus


def test_nib_and_npwp_are_checked(db):
    pesantren = services.create_pesantren("Pondok Pesantren Uji", "kab-jombang")
    with pytest.raises(ValidationError) as error:
        services.create_koperasi(
            pesantren, "Kop A", nib="12345", legal_entity_number="AHU-1", region_code="kab-jombang"
        )
    assert error.value.field == "nib" and "13 digit" in error.value.message
    with pytest.raises(ValidationError) as error:
        services.create_koperasi(
            pesantren,
            "Kop A",
            nib="1234567890123",
            legal_entity_number="AHU-1",
            region_code="kab-jombang",
            npwp="12-34",
        )
    assert error.value.field == "npwp"


def test_duplicate_nib_is_refused(db, make_koperasi):
    koperasi = make_koperasi()
    pesantren = services.create_pesantren("Pondok Lain", "kota-malang")
    with pytest.raises(ValidationError, match="NIB ini sudah dipakai"):
        services.create_koperasi(
            pesantren, "Kop B", nib=koperasi.nib, legal_entity_number="x", region_code="kota-malang"
        )


def test_unknown_region_is_refused(db):
    with pytest.raises(ValidationError, match="Kabupaten/kota tidak dikenal"):
        services.create_pesantren("Pondok X", "kab-atlantis")


def test_verification_follows_the_allowed_path(db, make_koperasi):
    koperasi = make_koperasi(status=VerificationStatus.DRAFT)
    with pytest.raises(ValidationError):
        services.change_status(koperasi, VerificationStatus.VERIFIED)  # must be submitted first
    services.change_status(koperasi, VerificationStatus.SUBMITTED)
    services.change_status(koperasi, VerificationStatus.VERIFIED)
    assert koperasi.verified_at is not None
    services.change_status(koperasi, VerificationStatus.SUSPENDED)
    assert koperasi.status == VerificationStatus.SUSPENDED


def test_membership_lookup_hides_other_koperasi(db, make_koperasi, make_user):
    staff = make_user()
    mine = make_koperasi()
    theirs = make_koperasi()
    services.add_member(mine, staff, Role.STOCK)
    assert services.membership_for(staff, mine.slug).role == Role.STOCK
    with pytest.raises(NotFound):
        services.membership_for(staff, theirs.slug)
    with pytest.raises(NoAccess):  # their own koperasi, another role's page: "no access", not "not found"
        services.membership_for(staff, mine.slug, roles={Role.FINANCE})


def test_one_user_in_several_koperasi(db, make_koperasi, make_user):
    staff = make_user()
    a, b = make_koperasi(name="Kop Alfa"), make_koperasi(name="Kop Beta")
    services.add_member(a, staff, Role.CATALOG)
    services.add_member(b, staff, Role.ORDERS)
    assert [m.koperasi.name for m in services.memberships_of(staff)] == ["Kop Alfa", "Kop Beta"]
