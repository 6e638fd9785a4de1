"""Channel dashboard forms (Flask-WTF, CSRF on every POST)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.channels.models import ShareKind

SHARE_CHOICES = [
    SelectChoice(ShareKind.ALL.value, _l("Semua stok tersedia")),
    SelectChoice(ShareKind.PERCENT.value, _l("Persentase dari stok")),
    SelectChoice(ShareKind.FIXED.value, _l("Paling banyak sejumlah tetap")),
]


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


class AccountRuleForm(FlaskForm):
    push_enabled = BooleanField(_l("Kirim stok ke toko ini"))
    reserve = IntegerField(_l("Cadangan (tidak ditampilkan di toko mitra)"),
                           validators=[InputRequired(), NumberRange(0, 99_999)])
    share_kind = SelectField(_l("Bagian stok"), choices=SHARE_CHOICES)
    share_value = IntegerField(_l("Nilai (persen atau jumlah)"), validators=[InputRequired(), NumberRange(0, 99_999)])


class ListingRuleForm(AccountRuleForm):
    override = BooleanField(_l("Aturan sendiri untuk listing ini"))


class MatchForm(FlaskForm):
    sku = StringField(_l("SKU varian atau paket kami"), validators=[Optional(), Length(max=64)])
    ignore = BooleanField(_l("Jangan sinkronkan listing ini"))


class BundleForm(FlaskForm):
    sku = StringField(_l("SKU paket (sama dengan SKU di toko mitra)"), validators=[InputRequired(), Length(max=64)])
    name = StringField(_l("Nama paket"), validators=[InputRequired(), Length(max=160)])
    parts = TextAreaField(_l("Isi paket, satu baris per varian: SKU x jumlah"), validators=[InputRequired()])
