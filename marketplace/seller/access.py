"""Who may open which part of the dashboard.

Every seller view is wrapped by ``seller_view(area)``: it resolves the koperasi from the URL slug through the
user's membership and checks the role for that area (the table is ``koperasi.roles.AREA_ROLES``, which the
bulk import worker checks too). A koperasi the user is not a member of answers 404, so nobody can probe which
exist; an area of their own koperasi that the role does not cover answers 403 "no access" (a member knows the
koperasi exists; "not found" only confused them). The owner reaches every area.
"""

from collections.abc import Callable
from functools import wraps

from flask import g
from flask_login import current_user

from marketplace.koperasi.roles import AREA_ROLES, can
from marketplace.koperasi.services import membership_for

__all__ = ["AREA_ROLES", "can", "seller_view"]


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
