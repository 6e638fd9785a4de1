"""What each staff role of a koperasi may reach. The dashboard's views check it (``seller.access.seller_view``);
services that act on a member's behalf outside a request (the bulk import worker) check the same table."""

from flask_babel import lazy_gettext as _l

from marketplace.koperasi.models import Membership, Role

ALL_ROLES = frozenset(Role)

# area -> roles (besides the owner) that reach it
AREA_ROLES: dict[str, frozenset[Role]] = {
    "overview": ALL_ROLES,
    "products": frozenset({Role.ADMIN, Role.CATALOG}),
    "bulk": frozenset({Role.ADMIN, Role.CATALOG}),
    "stock": frozenset({Role.ADMIN, Role.STOCK}),
    "orders": frozenset({Role.ADMIN, Role.ORDERS}),
    "reports": frozenset({Role.ADMIN, Role.FINANCE}),
    "channels": frozenset({Role.ADMIN}),  # partner shops (Shopee, TikTok Shop): their tokens and what is pushed
    "members": frozenset({Role.OWNER}),
    "audit": frozenset({Role.OWNER}),
}

ROLE_LABELS = {
    Role.OWNER: _l("Pemilik"),
    Role.ADMIN: _l("Admin"),
    Role.CATALOG: _l("Katalog"),
    Role.STOCK: _l("Stok"),
    Role.ORDERS: _l("Pesanan"),
    Role.FINANCE: _l("Keuangan"),
}


def can(membership: Membership, area: str) -> bool:
    return membership.role == Role.OWNER or membership.role in AREA_ROLES[area]


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[Role(role)])
