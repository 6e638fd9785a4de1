"""Applications and the OPOP team's decisions on them.

A koperasi exists from the moment it applies (status *submitted*), so its owner can prepare products while the team
checks the numbers; only a *verified* koperasi appears in the storefront and can sell (the catalogue and checkout
queries already require it). A rejection sends it back to *draft* with a reason; it may correct and re-apply."""

import re
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, NotFound, ValidationError
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.extensions import db
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Koperasi, Membership, Role, VerificationStatus
from marketplace.mail.services import queue_mail
from marketplace.opop.documents import sniff, store_document
from marketplace.opop.models import Application, Cohort, Decision, DecisionAction, DocumentKind

STATUS_LABELS = {
    VerificationStatus.DRAFT: _l("Perlu diperbaiki"),
    VerificationStatus.SUBMITTED: _l("Menunggu verifikasi"),
    VerificationStatus.VERIFIED: _l("Terverifikasi"),
    VerificationStatus.SUSPENDED: _l("Dibekukan"),
}

# action -> (status it applies to, status it leads to, reason required)
RULES = {
    DecisionAction.APPROVE: (VerificationStatus.SUBMITTED, VerificationStatus.VERIFIED, False),
    DecisionAction.REJECT: (VerificationStatus.SUBMITTED, VerificationStatus.DRAFT, True),
    DecisionAction.SUSPEND: (VerificationStatus.VERIFIED, VerificationStatus.SUSPENDED, True),
    DecisionAction.REINSTATE: (VerificationStatus.SUSPENDED, VerificationStatus.VERIFIED, False),
}

_SEPARATORS = re.compile(r"[\s.\-]")
_LEGAL_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .\-/]{4,59}")


class ApplicationInvalid(ValidationError):
    """Every problem of a submitted form at once, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Periksa kembali isian yang ditandai."))
        self.errors = errors


class NotOpopTeam(DomainError):
    """Defence in depth: the views already hide the team's pages; the services refuse anyone else too."""

    code = "forbidden"


class AlreadyDecided(ValidationError):
    """A second click on a decision someone (maybe the same person) already took: nothing changes."""

    code = "already_decided"


@dataclass
class ApplicationInput:
    pesantren_name: str
    region_code: str
    koperasi_name: str
    nib: str
    legal_entity_number: str
    npwp: str
    phone: str = ""
    address: str = ""
    nspp: str = ""
    leader: str = ""
    contacts: list[dict] = field(default_factory=list)
    documents: list[tuple[str, str, bytes]] = field(default_factory=list)  # (kind, filename, data)


def status_label(status: VerificationStatus) -> str:
    return str(STATUS_LABELS[VerificationStatus(status)])


def normalise_number(raw: str) -> str:
    """People type NPWP as 01.234.567.8-901.000 and NIB in groups; the digits are what counts."""
    return _SEPARATORS.sub("", raw or "")


def _validate(data: ApplicationInput, own_koperasi_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, label in (("pesantren_name", _("Nama pesantren")), ("koperasi_name", _("Nama koperasi"))):
        if not (getattr(data, name) or "").strip():
            errors[name] = _("%(field)s wajib diisi.", field=label)
    if data.region_code not in REGIONS_BY_CODE:
        errors["region_code"] = _("Pilih kabupaten/kota di Jawa Timur.")
    nib = normalise_number(data.nib)
    if not re.fullmatch(r"\d{13}", nib):
        errors["nib"] = _("NIB harus 13 digit angka.")
    else:
        other = db.session.scalar(select(Koperasi.id).where(Koperasi.nib == nib))
        if other and other != own_koperasi_id:
            errors["nib"] = _("NIB ini sudah dipakai koperasi lain.")
    if not re.fullmatch(r"\d{15,16}", normalise_number(data.npwp)):
        errors["npwp"] = _("NPWP harus 15 atau 16 digit angka.")
    legal = (data.legal_entity_number or "").strip()
    if not _LEGAL_NUMBER.fullmatch(legal) or sum(c.isdigit() for c in legal) < 3:
        errors["legal_entity_number"] = _("Nomor badan hukum tidak dikenali (contoh: AHU-0001234.AH.01.26.TAHUN 2019).")
    if data.nspp and not re.fullmatch(r"\d{12}", normalise_number(data.nspp)):
        errors["nspp"] = _("NSPP harus 12 digit angka.")
    for kind, _filename, payload in data.documents:
        if kind not in {k.value for k in DocumentKind}:
            errors["documents"] = _("Jenis dokumen tidak dikenal.")
            continue
        try:
            sniff(payload)
        except ValidationError as error:
            errors["documents"] = error.message
    if not data.documents and own_koperasi_id is None:
        errors["documents"] = _("Unggah minimal satu dokumen (NIB, akta badan hukum atau NPWP).")
    return errors


def application_of(user: User) -> Application | None:
    """The application of a koperasi this user owns (the newest), if any."""
    return db.session.scalar(
        select(Application).join(Membership, Membership.koperasi_id == Application.koperasi_id)
        .where(Membership.user_id == user.id, Membership.role == Role.OWNER)
        .order_by(Application.id.desc()).limit(1)
    )


def submit_application(applicant: User, data: ApplicationInput) -> Application:
    """A first application creates the pesantren, the koperasi (submitted) and the applicant's owner membership; a
    re-application after a rejection updates them and goes back into the queue."""
    existing = application_of(applicant)
    if existing and existing.koperasi.status != VerificationStatus.DRAFT:
        raise ValidationError(_("Koperasi Anda sudah mengajukan; tunggu keputusan Tim OPOP."))
    errors = _validate(data, existing.koperasi_id if existing else None)
    if errors:
        raise ApplicationInvalid(errors)
    fields = {"nib": normalise_number(data.nib), "npwp": normalise_number(data.npwp),
              "legal_entity_number": data.legal_entity_number.strip(), "region_code": data.region_code,
              "phone": data.phone.strip() or None, "address": data.address.strip()}
    if existing:
        koperasi = existing.koperasi
        for name, value in fields.items():
            setattr(koperasi, name, value)
        koperasi.name = data.koperasi_name.strip()
        pesantren = koperasi.pesantren
        pesantren.name, pesantren.region_code = data.pesantren_name.strip(), data.region_code
        pesantren.nspp, pesantren.leader = normalise_number(data.nspp) or None, data.leader.strip() or None
        application = existing
        application.contacts = data.contacts
    else:
        pesantren = koperasi_services.create_pesantren(
            data.pesantren_name.strip(), data.region_code, nspp=normalise_number(data.nspp) or None,
            leader=data.leader.strip() or None, address=data.address.strip())
        koperasi = koperasi_services.create_koperasi(pesantren, data.koperasi_name.strip(), **fields)
        koperasi_services.add_member(koperasi, applicant, Role.OWNER)
        application = Application(koperasi=koperasi, applicant=applicant, contacts=data.contacts)
        db.session.add(application)
        db.session.flush()
    for kind, filename, payload in data.documents:
        store_document(application, DocumentKind(kind), filename, payload)
    from_status = koperasi.status
    koperasi_services.change_status(koperasi, VerificationStatus.SUBMITTED)
    db.session.add(Decision(koperasi_id=koperasi.id, action=DecisionAction.SUBMIT, from_status=from_status,
                            to_status=VerificationStatus.SUBMITTED, decided_by_id=applicant.id))
    db.session.flush()
    return application


def _recipients(koperasi: Koperasi) -> list[str]:
    owners = db.session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.koperasi_id == koperasi.id, Membership.role.in_([Role.OWNER, Role.ADMIN]))
    )
    return sorted(set(owners))


def last_decision(koperasi_id: int) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.koperasi_id == koperasi_id)
                             .order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(1))


def decide(actor: User, koperasi_id: int, action: DecisionAction | str, reason: str = "",
           cohort_id: int | None = None) -> Decision:
    """The team's decision. The koperasi row is locked first, so two team members clicking at once (or one
    clicking twice) make one decision; the second gets ``AlreadyDecided`` and changes nothing."""
    if not actor.is_opop_admin:
        raise NotOpopTeam(_("Hanya Tim OPOP yang dapat memutuskan."))
    try:
        action = DecisionAction(action)
        expected, target, reason_required = RULES[action]
    except (ValueError, KeyError):
        raise ValidationError(_("Keputusan tidak dikenal."), field="action") from None
    koperasi = db.session.scalar(select(Koperasi).where(Koperasi.id == koperasi_id).with_for_update())
    if koperasi is None:
        raise NotFound(_("Koperasi tidak ditemukan."))
    reason = (reason or "").strip()
    if koperasi.status == target:
        previous = last_decision(koperasi.id)
        who = previous.decided_by.name if previous and previous.decided_by else _("Tim OPOP")
        raise AlreadyDecided(_("%(name)s sudah berstatus %(status)s (oleh %(who)s). Tidak ada yang berubah.",
                               name=koperasi.name, status=status_label(target), who=who))
    if koperasi.status != expected:
        raise ValidationError(_("Keputusan ini tidak berlaku untuk koperasi berstatus %(status)s.",
                                status=status_label(koperasi.status)), field="action")
    if reason_required and len(reason) < 5:
        raise ValidationError(_("Tuliskan alasannya (minimal 5 huruf) agar koperasi tahu apa yang harus diperbaiki."),
                              field="reason")
    if cohort_id is not None:
        set_cohort(koperasi.id, cohort_id)
    from_status = koperasi.status
    koperasi_services.change_status(koperasi, target)
    decision = Decision(koperasi_id=koperasi.id, action=action, from_status=from_status, to_status=target,
                        reason=reason[:2000], decided_by_id=actor.id)
    db.session.add(decision)
    db.session.flush()
    _tell_koperasi(koperasi, decision)
    return decision


def _tell_koperasi(koperasi: Koperasi, decision: Decision) -> None:
    recipients = _recipients(koperasi)
    if not recipients:
        return
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    body = render_template("emails/opop_decision.txt", koperasi=koperasi, decision=decision,
                           status=status_label(decision.to_status), link=f"{base}/seller/{koperasi.slug}/")
    queue_mail(recipients, _("Verifikasi OPOP: %(name)s %(status)s", name=koperasi.name,
                             status=status_label(decision.to_status).lower()), body)


def set_cohort(koperasi_id: int, cohort_id: int | None) -> Application:
    application = db.session.scalar(select(Application).where(Application.koperasi_id == koperasi_id))
    if application is None:
        koperasi = db.session.get(Koperasi, koperasi_id) or None
        if koperasi is None:
            raise NotFound(_("Koperasi tidak ditemukan."))
        application = Application(koperasi_id=koperasi_id, contacts=[])
        db.session.add(application)
    if cohort_id is not None and db.session.get(Cohort, cohort_id) is None:
        raise ValidationError(_("Angkatan tidak dikenal."), field="cohort_id")
    application.cohort_id = cohort_id
    db.session.flush()
    return application


def create_cohort(year: int | str, name: str = "") -> Cohort:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2019 <= year <= 2100:
        raise ValidationError(_("Tahun angkatan harus antara 2019 dan 2100."), field="year")
    if db.session.scalar(select(Cohort.id).where(Cohort.year == year)):
        raise ValidationError(_("Angkatan %(year)s sudah ada.", year=year), field="year")
    cohort = Cohort(year=year, name=(name or "").strip()[:80] or f"Angkatan {year}")
    db.session.add(cohort)
    db.session.flush()
    return cohort


def cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.year.desc())))
