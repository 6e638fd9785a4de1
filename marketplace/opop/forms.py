"""OPOP forms (Flask-WTF: every POST carries a CSRF token). The rules on numbers and documents live in the
services, which report every field's problem at once; these forms only parse."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from marketplace.core.regions import REGIONS


class ApplicationForm(FlaskForm):
    pesantren_name = StringField(_l("Nama pondok pesantren"), validators=[Length(max=160)])
    nspp = StringField(_l("NSPP (Nomor Statistik Pondok Pesantren, 12 digit)"), validators=[Optional(), Length(max=30)])
    leader = StringField(_l("Pengasuh / kyai"), validators=[Optional(), Length(max=120)])
    region_code = SelectField(_l("Kabupaten/kota"), validate_choice=False,
                              choices=[SelectChoice("", "—")] + [SelectChoice(r.code, r.label) for r in REGIONS])
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=300)])
    koperasi_name = StringField(_l("Nama koperasi"), validators=[Length(max=160)])
    nib = StringField(_l("NIB (13 digit, dari OSS)"), validators=[Length(max=30)])
    legal_entity_number = StringField(_l("Nomor badan hukum (AHU)"), validators=[Length(max=60)])
    npwp = StringField(_l("NPWP koperasi (15 atau 16 digit)"), validators=[Length(max=30)])
    phone = StringField(_l("Telepon koperasi"), validators=[Optional(), Length(max=20)])
    chair_name = StringField(_l("Nama ketua"), validators=[Optional(), Length(max=120)])
    chair_phone = StringField(_l("Telepon ketua"), validators=[Optional(), Length(max=20)])
    treasurer_name = StringField(_l("Nama bendahara"), validators=[Optional(), Length(max=120)])
    treasurer_phone = StringField(_l("Telepon bendahara"), validators=[Optional(), Length(max=20)])
    doc_nib = FileField(_l("Dokumen NIB (PDF/JPG/PNG)"))
    doc_badan_hukum = FileField(_l("Akta/SK badan hukum (PDF/JPG/PNG)"))
    doc_npwp = FileField(_l("Kartu NPWP (PDF/JPG/PNG)"))


class DecisionForm(FlaskForm):
    action = HiddenField()
    reason = TextAreaField(_l("Alasan"), validators=[Optional(), Length(max=2000)])
    cohort_id = SelectField(_l("Angkatan"), choices=[], validate_choice=False)


class CohortForm(FlaskForm):
    year = StringField(_l("Tahun"), validators=[Length(max=4)])
    name = StringField(_l("Nama angkatan"), validators=[Optional(), Length(max=80)])


class FlagshipForm(FlaskForm):
    note = TextAreaField(_l("Catatan kurasi"), validators=[Optional(), Length(max=2000)])


class CategoryNameForm(FlaskForm):
    name = StringField(_l("Nama (Indonesia)"))
    name_en = StringField(_l("Nama (Inggris)"))
