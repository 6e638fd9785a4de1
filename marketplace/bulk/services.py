"""Bulk catalog import (CSV or XLSX): check the whole file, then apply all of it or nothing. Small files import
inside the request; larger ones become an ``ImportJob`` that a Celery worker runs (``tasks.import_catalog``),
recording progress the page shows."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.bulk.apply import apply_plan
from marketplace.bulk.format import COLUMNS, MAX_ROWS, CellError, ImportFileError, Table, TooManyRows, read_table
from marketplace.bulk.models import ImportJob, ImportStatus
from marketplace.bulk.plan import ImportRejected, plan_import
from marketplace.bulk.stock import StockColumns
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Membership

MAX_FILE_BYTES = 20 * 1024 * 1024


def _check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([CellError(1, "", _("Berkas terlalu besar (maksimal 20 MB)."))])


def validate_and_apply(actor: Membership, table: Table, progress=lambda done, total: None) -> dict:
    """The whole import: every row checked (catalog and stock cells), then everything applied, or an
    ImportRejected listing every error and nothing changed. The caller commits."""
    stock, errors = StockColumns.load(actor, table.header)
    if errors:
        raise ImportRejected(errors)
    plan = plan_import(actor.koperasi_id, table, progress, extra_columns=stock.check_row)
    if plan.errors:
        raise ImportRejected(plan.errors)
    summary = apply_plan(actor, plan)
    summary["stock_changed"] = stock.apply(actor)
    return summary


def max_rows() -> int:
    return current_app.config.get("BULK_IMPORT_MAX_ROWS", MAX_ROWS)


def sync_limit() -> int:
    return current_app.config.get("SELLER_IMPORT_SYNC_MAX_ROWS", 500)


def submit_import(actor: Membership, data: bytes, filename: str) -> ImportJob | dict:
    """A file small enough is checked and applied now: returns the summary, or raises ImportRejected with every
    error and nothing changed. A larger one becomes an ``ImportJob`` for a worker: the caller commits, then
    enqueues ``tasks.import_catalog`` (so the worker never waits on the request's transaction)."""
    _check_size(data)
    try:
        # The request reads no further than the synchronous limit; the worker reads (and caps) the rest.
        table = read_table(data, filename, max_rows=min(sync_limit(), max_rows()))
    except TooManyRows:
        return start_import_job(actor, data, filename, 0)
    except ImportFileError as error:
        raise ImportRejected(error.errors) from None
    return validate_and_apply(actor, table)


def start_import_job(actor: Membership, data: bytes, filename: str, rows: int) -> ImportJob:
    job = ImportJob(koperasi_id=actor.koperasi_id, user_id=actor.user_id, filename=filename[:200], content=data,
                    total_rows=rows)
    db.session.add(job)
    db.session.flush()
    return job


def recent_jobs(koperasi_id: int, limit: int = 5) -> list[ImportJob]:
    return list(db.session.scalars(
        select(ImportJob).where(ImportJob.koperasi_id == koperasi_id).order_by(ImportJob.id.desc()).limit(limit)
    ))


def run_import_job(job_id: int) -> None:
    """The worker's side. Commits progress while validating (nothing else is written yet), then applies the
    whole file and marks the job done in one final transaction. Safe to run twice: a finished job is left alone,
    and an interrupted one starts again from the file (nothing of it was committed)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.is_finished:
        return
    actor = db.session.scalar(
        select(Membership).where(Membership.koperasi_id == job.koperasi_id, Membership.user_id == job.user_id)
    )
    if actor is None:
        _fail(job, [CellError(1, "", _("Pengunggah bukan lagi anggota koperasi ini."))])
        return
    job.status, job.processed_rows = ImportStatus.VALIDATING, 0
    db.session.commit()

    def progress(done: int, total: int) -> None:
        job.processed_rows = done
        db.session.commit()

    def applying() -> None:
        job.status = ImportStatus.APPLYING
        db.session.commit()

    try:
        table = read_table(job.content or b"", job.filename, max_rows=max_rows())
        job.total_rows = len(table.rows)
        summary = validate_and_apply(actor, table, _progress_then(progress, applying))
    except ImportFileError as error:
        _fail(job, error.errors)
        return
    except ImportRejected as rejected:
        db.session.rollback()
        _fail(db.session.get(ImportJob, job_id), rejected.errors)
        return
    except Exception:
        db.session.rollback()
        _fail(db.session.get(ImportJob, job_id), [CellError(1, "", _("Impor gagal disimpan; tidak ada yang diubah."))])
        raise
    job.summary, job.status, job.finished_at, job.content = summary, ImportStatus.DONE, utcnow(), None
    db.session.commit()


def _progress_then(progress, when_validated):
    """Progress callback that also marks the job "applying" once the last row is validated (before any write)."""

    def report(done: int, total: int) -> None:
        progress(done, total)
        if done >= total:
            when_validated()

    return report


def _fail(job: ImportJob, errors: list[CellError]) -> None:
    job.errors = [e.as_dict() for e in errors[:500]]
    job.summary = {"error_count": len(errors)}
    job.status, job.finished_at = ImportStatus.FAILED, utcnow()
    db.session.commit()


__all__ = ["COLUMNS", "ImportRejected", "run_import_job", "submit_import"]
