from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Email tidak valid."))],
    )
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])
    remember = BooleanField(_l("Ingat saya"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=120)])
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Email tidak valid."))],
    )
    phone = TelField(_l("Nomor HP"), validators=[Optional(), Length(max=20)])
    password = PasswordField(
        _l("Kata sandi"),
        validators=[
            DataRequired(_l("Kata sandi wajib diisi.")),
            Length(min=8, message=_l("Kata sandi minimal 8 karakter.")),
        ],
    )
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[EqualTo("password", _l("Kata sandi tidak sama."))])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Email tidak valid."))],
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Kata sandi baru"),
        validators=[
            DataRequired(_l("Kata sandi wajib diisi.")),
            Length(min=8, message=_l("Kata sandi minimal 8 karakter.")),
        ],
    )
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[EqualTo("password", _l("Kata sandi tidak sama."))])
