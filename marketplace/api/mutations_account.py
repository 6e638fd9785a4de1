"""Account mutations: tokens, registration, password reset, the address book. Each calls the accounts or
checkout services the web pages use."""

import strawberry
from flask_babel import gettext as _

from marketplace.accounts import services as accounts
from marketplace.api import auth
from marketplace.api.context import Info
from marketplace.api.errors import AccountError, AccountErrorCode, Refused
from marketplace.api.ids import int_id
from marketplace.api.mutations_base import perform
from marketplace.api.types_account import User, address_type, saved_addresses
from marketplace.api.types_common import Address, AddressInput, GenericScalar, address_input_to_dict
from marketplace.checkout import addresses
from marketplace.checkout.models import Address as AddressModel
from marketplace.extensions import db

INVALID = AccountErrorCode.INVALID


def _errors(refusals: list[Refused]) -> list[AccountError]:
    return [AccountError(field=r.field, message=r.message, code=r.code) for r in refusals]


@strawberry.type
class CreateToken:
    token: str | None = None
    refresh_token: str | None = None
    csrf_token: str | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class RefreshToken:
    token: str | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class VerifyToken:
    is_valid: bool = False
    payload: GenericScalar | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class AccountRegisterInput:
    email: str
    password: str
    first_name: str | None = None
    last_name: str | None = None
    redirect_url: str | None = None
    language_code: str | None = None
    channel: str | None = None


@strawberry.type
class AccountRegister:
    requires_confirmation: bool | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class RequestPasswordReset:
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class SetPassword:
    token: str | None = None
    refresh_token: str | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class AccountAddressPayload:
    user: User | None = None
    address: Address | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


def _own_address(info: Info, id: strawberry.ID) -> AddressModel:
    user = info.context.require_user()
    saved = db.session.get(AddressModel, int_id(id, "Address"))
    if saved is None or saved.user_id != user.id:  # another buyer's address is simply not found
        raise Refused(AccountErrorCode.NOT_FOUND, _("Alamat tidak ditemukan."), "id")
    return saved


def _address_payload(info: Info, saved: AddressModel | None) -> AccountAddressPayload:
    user = info.context.require_user()
    book = saved_addresses(user.id)
    default = book[-1].id if book else None
    return AccountAddressPayload(user=User(_user=user), address=address_type(saved, default) if saved else None)


@strawberry.type
class AccountMutation:
    @strawberry.mutation
    def token_create(self, info: Info, email: str, password: str) -> CreateToken:
        user = accounts.authenticate(email, password)
        if user is None:
            return CreateToken(errors=[AccountError(field="email", code=AccountErrorCode.INVALID_CREDENTIALS,
                                                    message=_("Email atau kata sandi salah."))])
        return CreateToken(token=auth.create_token(user, "access"), refresh_token=auth.create_token(user, "refresh"),
                           user=User(_user=user))

    @strawberry.mutation
    def token_refresh(self, info: Info, refresh_token: str | None = None,
                      csrf_token: str | None = None) -> RefreshToken:
        if not refresh_token:
            return RefreshToken(errors=[AccountError(field="refreshToken", code=AccountErrorCode.JWT_MISSING_TOKEN,
                                                     message="Missing refreshToken")])
        try:
            user = auth.user_from_token(refresh_token, "refresh")
        except auth.TokenError as error:
            code = (AccountErrorCode.JWT_SIGNATURE_EXPIRED if error.code == "ExpiredSignatureError"
                    else AccountErrorCode.JWT_INVALID_TOKEN)
            return RefreshToken(errors=[AccountError(field="refreshToken", code=code, message=error.message)])
        return RefreshToken(token=auth.create_token(user, "access"), user=User(_user=user))

    @strawberry.mutation
    def token_verify(self, info: Info, token: str) -> VerifyToken:
        try:
            claims = auth.decode(token, "access")
            user = auth.user_from_token(token)
        except auth.TokenError as error:
            code = (AccountErrorCode.JWT_SIGNATURE_EXPIRED if error.code == "ExpiredSignatureError"
                    else AccountErrorCode.JWT_INVALID_TOKEN)
            return VerifyToken(errors=[AccountError(field="token", code=code, message=error.message)])
        return VerifyToken(is_valid=True, payload=claims, user=User(_user=user))

    @strawberry.mutation
    def account_register(self, info: Info, input: AccountRegisterInput) -> AccountRegister:
        def work() -> AccountRegister:
            name = " ".join(p for p in (input.first_name, input.last_name) if p).strip() or \
                input.email.split("@")[0]
            if "@" not in input.email or len(input.email) > 254:
                raise Refused(INVALID, _("Email tidak valid."), "email")
            if len(input.password) < 8:
                raise Refused(AccountErrorCode.PASSWORD_TOO_SHORT, _("Kata sandi minimal 8 karakter."), "password")
            if accounts.find_user_by_email(input.email):
                raise Refused(AccountErrorCode.UNIQUE, _("Email ini sudah terdaftar. Silakan masuk."), "email")
            user = accounts.register_user(input.email, input.password, name[:120])
            return AccountRegister(requires_confirmation=False, user=User(_user=user))

        return perform(work, lambda errors: AccountRegister(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def request_password_reset(self, info: Info, email: str, redirect_url: str | None = None,
                               channel: str | None = None) -> RequestPasswordReset:
        """Mails the same reset link as the web page; its token also works with ``setPassword``. Says nothing
        about whether the account exists."""
        return perform(lambda: (accounts.send_password_reset(email), RequestPasswordReset())[1],
                       lambda errors: RequestPasswordReset(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def set_password(self, info: Info, email: str, token: str, password: str) -> SetPassword:
        def work() -> SetPassword:
            user = accounts.user_from_reset_token(token)
            if user is None or user.email != accounts.normalise_email(email):
                raise Refused(AccountErrorCode.INVALID, _("Tautan atur ulang kata sandi tidak valid atau sudah "
                                                          "kedaluwarsa."), "token")
            if len(password) < 8:
                raise Refused(AccountErrorCode.PASSWORD_TOO_SHORT, _("Kata sandi minimal 8 karakter."), "password")
            user = accounts.reset_password(token, password)
            return SetPassword(token=auth.create_token(user, "access"),
                               refresh_token=auth.create_token(user, "refresh"), user=User(_user=user))

        return perform(work, lambda errors: SetPassword(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def account_address_create(self, info: Info, input: AddressInput,
                               type: str | None = None) -> AccountAddressPayload:
        user = info.context.require_user()

        def work() -> AccountAddressPayload:
            clean = addresses.clean_address(address_input_to_dict(input))
            return _address_payload(info, addresses.remember_address(user.id, clean))

        return perform(work, lambda errors: AccountAddressPayload(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def account_address_update(self, info: Info, id: strawberry.ID, input: AddressInput) -> AccountAddressPayload:
        def work() -> AccountAddressPayload:
            saved = _own_address(info, id)
            clean = addresses.clean_address(address_input_to_dict(input))
            for key, value in clean.items():
                setattr(saved, key, value)
            db.session.flush()
            return _address_payload(info, saved)

        return perform(work, lambda errors: AccountAddressPayload(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def account_address_delete(self, info: Info, id: strawberry.ID) -> AccountAddressPayload:
        def work() -> AccountAddressPayload:
            saved = _own_address(info, id)
            shown = address_type(saved, None)
            db.session.delete(saved)
            db.session.flush()
            payload = _address_payload(info, None)
            payload.address = shown
            return payload

        return perform(work, lambda errors: AccountAddressPayload(errors=_errors(errors)), INVALID)

