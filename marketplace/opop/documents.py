"""Application documents (NIB, legal entity, NPWP scans): PDF or a picture, size-limited, checked by content and
not by the file name. They hold legal and tax data, so they live outside the public MEDIA_DIR and are served only
to the OPOP team."""

import io
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from marketplace.core.errors import ValidationError
from marketplace.opop.models import Application, ApplicationDocument, DocumentKind

IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def document_dir() -> Path:
    """``OPOP_DOCUMENT_DIR``, by default ``documents/`` beside MEDIA_DIR (shared storage, yet never served by
    /media/)."""
    configured = current_app.config.get("OPOP_DOCUMENT_DIR")
    return Path(configured) if configured else Path(current_app.config["MEDIA_DIR"]).parent / "documents"


def sniff(data: bytes, field: str = "documents") -> tuple[str, str]:
    """(content type, extension) of an accepted document, or a ValidationError saying what is accepted."""
    limit = current_app.config.get("OPOP_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024)
    if not data:
        raise ValidationError(_("Berkas dokumen kosong."), field=field)
    if len(data) > limit:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise ValidationError(_("Ukuran dokumen maksimal %(size)s.", size=size), field=field)
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    try:
        probe = Image.open(io.BytesIO(data))
        probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        probe = None
    if probe is None or probe.format not in IMAGE_TYPES:
        raise ValidationError(_("Dokumen harus berupa PDF atau gambar JPEG/PNG/WebP."), field=field)
    return IMAGE_TYPES[probe.format]


def store_document(application: Application, kind: DocumentKind, filename: str, data: bytes,
                   checked: tuple[str, str] | None = None) -> ApplicationDocument:
    content_type, extension = checked or sniff(data)
    relative = f"applications/{application.id}/{uuid.uuid4().hex}.{extension}"
    target = document_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    document = ApplicationDocument(kind=kind, filename=(Path(filename or "").name or f"dokumen.{extension}")[:200],
                                   path=relative, content_type=content_type, size_bytes=len(data))
    application.documents.append(document)
    return document


def document_file(document: ApplicationDocument) -> Path:
    return document_dir() / document.path
