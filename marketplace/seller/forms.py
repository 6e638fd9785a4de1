"""Dashboard forms (Flask-WTF: every POST carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.catalog.models import CertificationKind
from marketplace.checkout.models import Courier
from marketplace.core.numbers import MAX_PRICE, MAX_STOCK, MAX_WEIGHT_GRAMS
from marketplace.koperasi.models import Role

_TOO_MANY = _l("Jumlah maksimal 10.000.000.")


class RupiahField(IntegerField):
    """Accepts what people type: ``25000``, ``25.000`` or ``Rp 25.000``."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace("Rp", "").replace(".", "").replace(" ", "").strip()]
        super().process_formdata(valuelist)


ROLE_CHOICES = [
    SelectChoice(Role.ADMIN.value, _l("Admin (semua kecuali anggota)")),
    SelectChoice(Role.CATALOG.value, _l("Katalog (produk, impor/ekspor)")),
    SelectChoice(Role.STOCK.value, _l("Stok dan gudang")),
    SelectChoice(Role.ORDERS.value, _l("Pesanan")),
    SelectChoice(Role.FINANCE.value, _l("Keuangan (laporan, pembayaran, transfer)")),
    SelectChoice(Role.OWNER.value, _l("Pemilik (semua akses)")),
]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Email tidak valid."))]
    )
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES, default=Role.CATALOG.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES)


class ProductForm(FlaskForm):
    name = StringField(_l("Nama produk"), validators=[DataRequired(_l("Nama produk wajib diisi.")), Length(max=200)])
    category_id = SelectField(_l("Kategori"), coerce=int, validate_choice=True)
    description = TextAreaField(
        _l("Deskripsi"),
        description=_l("Boleh memakai paragraf, tebal, miring, garis bawah dan daftar; tag HTML lain dibuang."),
        validators=[Length(max=10000)],
    )


class VariantFields:
    sku = StringField(_l("SKU"), validators=[DataRequired(_l("SKU wajib diisi.")), Length(max=64)])
    variant_name = StringField(_l("Nama varian"), validators=[Length(max=120)])
    options = StringField(_l("Opsi"), description=_l("Contoh: Ukuran=250 g; Rasa=Pedas"), validators=[Length(max=300)])
    price = RupiahField(
        _l("Harga (Rp)"),
        validators=[
            InputRequired(_l("Harga wajib diisi.")), NumberRange(min=0, message=_l("Harga tidak boleh negatif.")),
            NumberRange(max=MAX_PRICE, message=_l("Harga maksimal Rp 1.000.000.000.")),
        ],
    )
    weight_grams = IntegerField(
        _l("Berat (gram)"),
        validators=[InputRequired(_l("Berat wajib diisi.")), NumberRange(min=1, message=_l("Berat minimal 1 gram.")),
                    NumberRange(max=MAX_WEIGHT_GRAMS, message=_l("Berat maksimal 1.000.000 gram."))],
    )


class NewProductForm(ProductForm, VariantFields):
    pass


class VariantForm(FlaskForm, VariantFields):
    is_active = BooleanField(_l("Aktif (bisa dibeli)"), default=True)


class ImageForm(FlaskForm):
    image = FileField(_l("Gambar (JPEG, PNG atau WebP)"), validators=[FileRequired(_l("Pilih berkas gambar."))])


class MoveForm(FlaskForm):
    direction = SelectField(choices=[SelectChoice("up"), SelectChoice("down")])


class CertificationForm(FlaskForm):
    kind = SelectField(
        _l("Jenis"),
        choices=[SelectChoice(CertificationKind.HALAL.value, "Halal (BPJPH)"),
                 SelectChoice(CertificationKind.PIRT.value, "PIRT"),
                 SelectChoice(CertificationKind.BPOM.value, "BPOM (MD/ML)")],
    )
    number = StringField(_l("Nomor"), validators=[DataRequired(_l("Nomor sertifikat wajib diisi.")), Length(max=64)])
    valid_until = DateField(_l("Berlaku sampai"), validators=[Optional()])


class StatusForm(FlaskForm):
    status = SelectField(choices=[SelectChoice("published"), SelectChoice("draft"), SelectChoice("archived")])


class ImportForm(FlaskForm):
    file = FileField(_l("Berkas CSV atau XLSX"), validators=[FileRequired(_l("Pilih berkas CSV atau XLSX."))])


class AdjustStockForm(FlaskForm):
    # Not checked against the choices here: the service looks the id up within the koperasi, so another
    # koperasi's warehouse answers 404 like every other foreign id.
    warehouse_id = SelectField(_l("Gudang"), coerce=int, validate_choice=False)
    mode = SelectField(_l("Cara"), choices=[
        SelectChoice("tambah", _l("Tambah")), SelectChoice("kurangi", _l("Kurangi")),
        SelectChoice("jadikan", _l("Jadikan (hasil hitung)")),
    ])
    quantity = IntegerField(_l("Jumlah"), validators=[InputRequired(_l("Jumlah wajib diisi.")),
                                                     NumberRange(min=0, message=_l("Jumlah tidak boleh negatif.")),
                                                     NumberRange(max=MAX_STOCK, message=_TOO_MANY)])
    reason = SelectField(_l("Alasan"))
    note = StringField(_l("Catatan"), validators=[Length(max=200)])


class StockTakeForm(FlaskForm):
    quantity = IntegerField(_l("Jumlah"), validators=[InputRequired(_l("Jumlah stok harus berupa angka.")),
                                                     NumberRange(min=0, message=_l("Stok tidak boleh negatif.")),
                                                     NumberRange(max=MAX_STOCK, message=_TOO_MANY)])
    note = StringField(_l("Catatan"), validators=[Length(max=200)])


class ThresholdForm(FlaskForm):
    threshold = IntegerField(_l("Batas stok menipis"), validators=[
        InputRequired(_l("Batas wajib diisi.")), NumberRange(min=0, message=_l("Batas tidak boleh negatif.")),
        NumberRange(max=MAX_STOCK, message=_TOO_MANY)])


class WarehouseForm(FlaskForm):
    name = StringField(_l("Nama gudang"), validators=[DataRequired(_l("Nama gudang wajib diisi.")), Length(max=120)])
    region_code = SelectField(_l("Kabupaten/kota"))
    address = StringField(_l("Alamat"), validators=[Length(max=300)])
    is_active = BooleanField(_l("Aktif (stoknya dijual)"), default=True)


class PackForm(FlaskForm):
    """Only the CSRF token."""


class ShipForm(FlaskForm):
    courier = SelectField(_l("Kurir"), validate_choice=False)  # empty: the courier the buyer chose
    tracking_number = StringField(_l("Nomor resi"), validators=[DataRequired(_l("Nomor resi wajib diisi.")),
                                                                Length(max=40)])

    def validate_courier(self, field) -> None:
        if field.data and field.data not in {c.value for c in Courier}:
            raise ValidationError(_l("Pilih kurir."))


class CancelOrderForm(FlaskForm):
    reason = StringField(_l("Alasan pembatalan"), validators=[DataRequired(_l("Alasan pembatalan wajib diisi.")),
                                                              Length(max=250)])
