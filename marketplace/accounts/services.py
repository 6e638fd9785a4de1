"""Accounts: registration, login and password reset. Services flush; the caller commits."""

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

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


def register_user(email: str, password: str, name: str, phone: str | None = None) -> User | None:
    """Creates the account and mails a welcome, or, if the email already has an account, mails its owner instead.
    The caller answers both the same way ("check your email"), so registration cannot tell a stranger which emails
    have accounts. Returns the new user, or None when the email was taken (also by a parallel registration)."""
    if len(password) < 8:
        raise ValidationError(_("Kata sandi minimal 8 karakter."), field="password")
    phone = normalise_phone(phone) if phone else None
    email = normalise_email(email)
    user = None
    if find_user_by_email(email) is None:
        user = User(email=email, name=name.strip(), phone=phone)
        user.set_password(password)
        try:
            with db.session.begin_nested():  # a parallel registration of the same email loses on the unique key
                db.session.add(user)
        except IntegrityError:
            user = None
    else:
        _equalise_time(password)
    if user is None:
        body = render_template("emails/registration_taken.txt", login=public_url("accounts.login"),
                               reset=public_url("accounts.forgot_password"))
        queue_mail(email, _("Percobaan pendaftaran dengan email Anda"), body)
        return None
    body = render_template("emails/welcome.txt", user=user, login=public_url("accounts.login"))
    queue_mail(email, _("Selamat datang di OPOP Marketplace"), body)
    return user


_DUMMY_HASH: list[str] = []


def _equalise_time(password: str) -> None:
    """Spends what checking a real password costs, so a reply's timing does not say whether the account exists."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash("not-a-password"))
    check_password_hash(_DUMMY_HASH[0], password)


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        _equalise_time(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def log_out_everywhere(user: User) -> None:
    """Every cookie issued to this account (this browser's, a stolen one, a year-long remember cookie) stops
    working."""
    user.revoke_sessions()
    db.session.flush()


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
