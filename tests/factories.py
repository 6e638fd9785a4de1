"""Factory fixtures: each returns a callable that builds a valid object through the real services.

Factories commit: inside the `db` fixture a commit only releases a savepoint, so the objects survive a rollback
made by the code under test and still vanish when the test ends."""

import itertools
from datetime import date, timedelta

import pytest

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import CertificationKind, ProductStatus
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role, VerificationStatus

PASSWORD = "rahasia123"
_seq = itertools.count(1)


def verified_koperasi(name: str, region_code: str, nib: str, *, pesantren_name: str | None = None,
                      legal_entity_number: str = "AHU-1", owner_email: str | None = None,
                      owner_name: str = "Pemilik"):
    """A verified koperasi (and its pesantren), optionally with an owner who logs in with PASSWORD. For tests on a
    committed database, where the rolled-back `make_koperasi` fixture does not apply; the caller commits."""
    from marketplace.extensions import db

    pesantren = koperasi_services.create_pesantren(pesantren_name or f"Pesantren {name}", region_code)
    koperasi = koperasi_services.create_koperasi(
        pesantren, name, nib=nib, legal_entity_number=legal_entity_number, region_code=region_code
    )
    koperasi_services.change_status(koperasi, VerificationStatus.SUBMITTED)
    koperasi_services.change_status(koperasi, VerificationStatus.VERIFIED)
    if owner_email:
        owner = User(email=owner_email, name=owner_name)
        owner.set_password(PASSWORD)
        db.session.add(owner)
        koperasi_services.add_member(koperasi, owner, Role.OWNER)
    return koperasi


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, name: str = "Pengguna Uji", **fields) -> User:
        n = next(_seq)
        user = User(email=email or f"user{n}@uji.opop.id", name=name, **fields)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_koperasi(db, make_user):
    def make(
        name: str | None = None,
        region_code: str = "kab-jember",
        status: VerificationStatus = VerificationStatus.VERIFIED,
        owner: User | None = None,
    ):
        n = next(_seq)
        name = name or f"Koperasi Uji {n}"
        pesantren = koperasi_services.create_pesantren(f"Pesantren {name}", region_code)
        koperasi = koperasi_services.create_koperasi(
            pesantren, name, nib=f"{8000000000000 + n}", legal_entity_number=f"AHU-{n}", region_code=region_code
        )
        path = {
            VerificationStatus.DRAFT: [],
            VerificationStatus.SUBMITTED: [VerificationStatus.SUBMITTED],
            VerificationStatus.VERIFIED: [VerificationStatus.SUBMITTED, VerificationStatus.VERIFIED],
            VerificationStatus.SUSPENDED: [
                VerificationStatus.SUBMITTED, VerificationStatus.VERIFIED, VerificationStatus.SUSPENDED
            ],
        }[status]
        for step in path:
            koperasi_services.change_status(koperasi, step)
        koperasi_services.add_member(koperasi, owner or make_user(name=f"Pemilik {name}"), Role.OWNER)
        db.session.commit()
        return koperasi

    return make


@pytest.fixture
def make_category(db):
    def make(name: str | None = None, parent=None):
        category = catalog.create_category(name or f"Kategori {next(_seq)}", parent=parent)
        db.session.commit()
        return category

    return make


@pytest.fixture
def make_product(db, make_koperasi):
    def make(
        koperasi=None,
        name: str | None = None,
        prices: tuple[int, ...] = (25000,),
        status: ProductStatus = ProductStatus.PUBLISHED,
        category=None,
        halal: bool = False,
        halal_valid_until: date | None = None,
        is_flagship: bool = False,
    ):
        koperasi = koperasi or make_koperasi()
        n = next(_seq)
        product = catalog.create_product(
            koperasi, name or f"Produk Uji {n}", category=category, status=status, is_flagship=is_flagship
        )
        for i, price in enumerate(prices):
            catalog.add_variant(product, f"SKU-{n}-{i}", price, 250, name=f"Varian {i + 1}")
        if halal or halal_valid_until:
            catalog.set_certification(
                product, CertificationKind.HALAL, f"ID{n:014d}", halal_valid_until or date.today() + timedelta(days=365)
            )
        db.session.commit()
        return product

    return make


@pytest.fixture
def login(client):
    def do(user: User, password: str = PASSWORD):
        response = client.post("/masuk", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do
