"""Accounts: registration, login and password reset. Services flush; the caller commits."""

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.core.phone import normalise_phone
from marketplace.core.urls import public_url
from marketplace.extensions import db
from marketplace.mail.services import queue_mail

_RESET_SALT = "password-reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def register_user(email: str, password: str, name: str, phone: str | None = None) -> User:
    if find_user_by_email(email):
        raise ValidationError(_("Email ini sudah terdaftar. Silakan masuk."), field="email")
    if len(password) < 8:
        raise ValidationError(_("Kata sandi minimal 8 karakter."), field="password")
    user = User(email=normalise_email(email), name=name.strip(), phone=normalise_phone(phone) if phone else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def make_reset_token(user: User) -> str:
    # The hash fragment makes a token single-use: it stops working once the password changes.
    return _serializer().dumps({"uid": user.id, "h": user.password_hash[-12:]})


def user_from_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.password_hash[-12:] != data.get("h"):
        return None
    return user


def send_password_reset(email: str) -> None:
    """Sends a reset link if the account exists; says nothing either way, so accounts cannot be probed."""
    user = find_user_by_email(email)
    if user is None:
        return
    link = public_url("accounts.reset_password", token=make_reset_token(user))
    body = render_template("emails/password_reset.txt", user=user, link=link)
    queue_mail(user.email, _("Atur ulang kata sandi OPOP Marketplace"), body)


def reset_password(token: str, new_password: str) -> User:
    user = user_from_reset_token(token)
    if user is None:
        raise ValidationError(_("Tautan atur ulang kata sandi tidak valid atau sudah kedaluwarsa."))
    if len(new_password) < 8:
        raise ValidationError(_("Kata sandi minimal 8 karakter."), field="password")
    user.set_password(new_password)
    db.session.flush()
    return user
