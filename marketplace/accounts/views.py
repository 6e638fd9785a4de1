from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import services
from marketplace.accounts.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from marketplace.core.errors import ValidationError
from marketplace.core.throttle import form_key, limit
from marketplace.core.urls import safe_next
from marketplace.extensions import db

bp = Blueprint("accounts", __name__)


def _safe_next(default: str) -> str:
    return safe_next(request.args.get("next"), default)


def _attach(form, error: ValidationError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def _login_failed(response) -> bool:
    return response.status_code != 302


@bp.route("/masuk", methods=["GET", "POST"])
@limit("LOGIN_LIMIT_PER_ADDRESS")
@limit("LOGIN_FAILURES_PER_ACCOUNT", key_func=form_key("email", "login"), deduct_when=_login_failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(url_for("storefront.home")))
        form.password.errors.append(_("Email atau kata sandi salah."))
    return render_template("accounts/login.html", form=form, next_url=_safe_next(""))


@bp.route("/daftar", methods=["GET", "POST"])
@limit("REGISTER_LIMIT")
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_user(form.email.data, form.password.data, form.name.data, form.phone.data)
        except ValidationError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            # The same answer whether the email was free or taken (the mail says which); a buyer sent here from
            # checkout signs in and goes back there, cart kept.
            flash(_("Periksa email Anda untuk melanjutkan, lalu masuk dengan kata sandi yang Anda pilih."), "success")
            return redirect(url_for("accounts.login", next=_safe_next("") or None))
    return render_template("accounts/register.html", form=form, next_url=_safe_next(""))


@bp.post("/keluar")
@login_required
def logout():
    services.log_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    return redirect(url_for("storefront.home"))


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@limit("PASSWORD_RESET_LIMIT")
@limit("PASSWORD_RESET_LIMIT", key_func=form_key("email", "reset"))
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        db.session.commit()
        flash(_("Jika email terdaftar, tautan atur ulang kata sandi sudah dikirim."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if services.user_from_reset_token(token) is None:
        flash(_("Tautan atur ulang kata sandi tidak valid atau sudah kedaluwarsa."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        db.session.commit()
        flash(_("Kata sandi sudah diganti. Silakan masuk."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.get("/akun")
@login_required
def account():
    return render_template("accounts/account.html", user=current_user)
