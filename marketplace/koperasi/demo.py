"""Demo staff for the first demo koperasi: one login per role, so the role-limited dashboard can be tried."""

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.koperasi.models import Role
from marketplace.koperasi.services import add_member

DEMO_ROLES = (Role.ADMIN, Role.CATALOG, Role.STOCK, Role.ORDERS, Role.FINANCE)


def seed_staff(koperasi, products, rng) -> None:
    if db.session.scalar(select(User.id).where(User.email == "admin.toko@demo.opop.id")):
        return  # only the first koperasi gets them
    owner = next(m.user for m in koperasi.memberships if m.role == Role.OWNER)
    for role in DEMO_ROLES:
        user = User(email=f"{role.value}.toko@demo.opop.id", name=f"Staf {role.value.title()} {koperasi.name}",
                    password_hash=owner.password_hash)
        db.session.add(user)
        add_member(koperasi, user, role)
