"""Dashboard forms for payments: the koperasi's COD and bank-account settings, and the finance staff's decisions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.payments.koperasi_settings import BANKS
from marketplace.seller.forms import RupiahField


class PaymentSettingsForm(FlaskForm):
    cod_enabled = BooleanField(_l("Terima bayar di tempat (COD)"))
    cod_max_amount = RupiahField(_l("Batas nilai pesanan COD (Rp)"), validators=[Optional()])
    bank_name = SelectField(_l("Bank"), choices=[SelectChoice("", _l("— tanpa rekening —"))]
                            + [SelectChoice(bank, bank) for bank in BANKS], validate_choice=False)
    bank_account_number = StringField(_l("Nomor rekening"), validators=[Optional(), Length(max=40)])
    bank_account_holder = StringField(_l("Atas nama"), validators=[Optional(), Length(max=120)])


class RejectProofForm(FlaskForm):
    reason = StringField(_l("Alasan penolakan"), validators=[DataRequired(_l("Tulis alasan penolakan untuk pembeli.")),
                                                             Length(max=300)])


class RefundDoneForm(FlaskForm):
    note = StringField(_l("Catatan transfer (mis. bank dan nomor referensi)"), validators=[Optional(),
                                                                                         Length(max=100)])
