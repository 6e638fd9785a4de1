"""The buyer's account as Saleor clients read it (``me``, ``User``)."""

from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import select

from marketplace.accounts.models import User as UserModel
from marketplace.api.context import Info
from marketplace.api.ids import to_global_id
from marketplace.api.types_common import Address, MetadataItem, address_from_dict
from marketplace.checkout.addresses import FIELDS
from marketplace.checkout.models import Address as AddressModel
from marketplace.extensions import db

if TYPE_CHECKING:
    from marketplace.api.types_order import OrderCountableConnection


def saved_addresses(user_id: int) -> list[AddressModel]:
    return list(db.session.scalars(select(AddressModel).where(AddressModel.user_id == user_id)
                                   .order_by(AddressModel.id)))


def address_type(saved: AddressModel, default_id: int | None) -> Address:
    result = address_from_dict({key: getattr(saved, key) for key in FIELDS}, key=str(saved.id))
    result.is_default_shipping_address = result.is_default_billing_address = saved.id == default_id
    return result


@strawberry.type
class UserPermission:
    code: str
    name: str


@strawberry.type
class User:
    _user: strawberry.Private[UserModel]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("User", self._user.id))

    @strawberry.field
    def email(self) -> str:
        return self._user.email

    @strawberry.field
    def first_name(self) -> str:
        return self._user.name.partition(" ")[0]

    @strawberry.field
    def last_name(self) -> str:
        return self._user.name.partition(" ")[2]

    @strawberry.field
    def is_staff(self) -> bool:
        return bool(self._user.is_opop_admin)

    @strawberry.field
    def is_active(self) -> bool:
        return self._user.is_active

    @strawberry.field
    def is_confirmed(self) -> bool:
        return True

    @strawberry.field
    def date_joined(self) -> str:
        return self._user.created_at.isoformat()

    @strawberry.field
    def language_code(self) -> str:
        return "ID"

    @strawberry.field
    def user_permissions(self) -> list[UserPermission]:
        return []

    @strawberry.field
    def metadata(self) -> list[MetadataItem]:
        return []

    @strawberry.field
    def phone(self) -> str | None:
        return self._user.phone

    @strawberry.field
    def addresses(self) -> list[Address]:
        saved = saved_addresses(self._user.id)
        default = saved[-1].id if saved else None
        return [address_type(a, default) for a in saved]

    @strawberry.field
    def default_shipping_address(self) -> Address | None:
        saved = saved_addresses(self._user.id)
        return address_type(saved[-1], saved[-1].id) if saved else None

    @strawberry.field
    def default_billing_address(self) -> Address | None:
        return self.default_shipping_address()

    @strawberry.field
    def orders(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
               before: str | None = None
               ) -> Annotated["OrderCountableConnection", strawberry.lazy("marketplace.api.types_order")]:
        from marketplace.api.orders_read import orders_of_user

        return orders_of_user(self._user, first, after, last, before)
