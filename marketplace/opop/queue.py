"""What the verification queue and an application's page show."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.core.errors import NotFound
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Pesantren, VerificationStatus
from marketplace.opop.models import Application, ApplicationDocument, Decision


@dataclass
class QueueRow:
    koperasi: Koperasi
    application: Application | None


def queue(status: VerificationStatus | None = VerificationStatus.SUBMITTED, region_code: str | None = None,
          cohort_id: int | None = None, limit: int = 200) -> list[QueueRow]:
    """Waiting applications oldest first (first come, first checked); other statuses newest first."""
    stmt = (select(Koperasi, Application).join(Pesantren, Pesantren.id == Koperasi.pesantren_id)
            .outerjoin(Application, Application.koperasi_id == Koperasi.id)
            .options(contains_eager(Koperasi.pesantren), selectinload(Application.documents),
                     selectinload(Application.cohort)))
    if status:
        stmt = stmt.where(Koperasi.status == status)
    if region_code:
        stmt = stmt.where(Koperasi.region_code == region_code)
    if cohort_id:
        stmt = stmt.where(Application.cohort_id == cohort_id)
    if status == VerificationStatus.SUBMITTED:
        stmt = stmt.order_by(Application.submitted_at, Koperasi.id)
    else:
        stmt = stmt.order_by(Koperasi.created_at.desc(), Koperasi.id.desc())
    return [QueueRow(k, a) for k, a in db.session.execute(stmt.limit(limit))]


def application_detail(koperasi_id: int) -> dict:
    koperasi = db.session.get(Koperasi, koperasi_id)
    if koperasi is None:
        raise NotFound(_("Koperasi tidak ditemukan."))
    application = db.session.scalar(select(Application).where(Application.koperasi_id == koperasi_id))
    decisions = list(db.session.scalars(select(Decision).where(Decision.koperasi_id == koperasi_id)
                                        .order_by(Decision.decided_at.desc(), Decision.id.desc())))
    return {"koperasi": koperasi, "application": application, "decisions": decisions}


def document(document_id: int) -> ApplicationDocument:
    found = db.session.get(ApplicationDocument, document_id)
    if found is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return found
