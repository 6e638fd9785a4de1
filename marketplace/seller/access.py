"""Who may open which part of the dashboard.

Every seller view is wrapped by ``seller_view(area)``: it resolves the koperasi from the URL slug through the
user's membership and checks the role for that area. A koperasi the user is not a member of, or an area the role
does not cover, answers 404 (never 403), so staff cannot probe what exists. The owner reaches every area.
"""

from collections.abc import Callable
from functools import wraps

from flask import g
from flask_login import current_user

from marketplace.koperasi.models import Membership, Role
from marketplace.koperasi.services import membership_for

ALL_ROLES = frozenset(Role)

# area -> roles (besides the owner) that reach it
AREA_ROLES: dict[str, frozenset[Role]] = {
    "overview": ALL_ROLES,
    "products": frozenset({Role.ADMIN, Role.CATALOG}),
    "bulk": frozenset({Role.ADMIN, Role.CATALOG}),
    "stock": frozenset({Role.ADMIN, Role.STOCK}),
    "orders": frozenset({Role.ADMIN, Role.ORDERS}),
    "reports": frozenset({Role.ADMIN, Role.FINANCE}),
    "channels": frozenset({Role.ADMIN}),  # partner shops (Shopee, TikTok Shop): tokens and what is pushed
    "members": frozenset({Role.OWNER}),
    "audit": frozenset({Role.OWNER}),
}


def can(membership: Membership, area: str) -> bool:
    return membership.role == Role.OWNER or membership.role in AREA_ROLES[area]


def seller_view(area: str) -> Callable:
    """Decorates a view taking ``slug``: the view receives the checked membership instead of the slug."""
    if area not in AREA_ROLES:
        raise KeyError(area)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(slug: str, **kwargs):
            membership = membership_for(current_user, slug, set(AREA_ROLES[area]))
            g.membership = membership
            return view(membership, **kwargs)

        wrapper.seller_area = area
        return wrapper

    return decorate
