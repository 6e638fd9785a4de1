"""Product images: validated with Pillow, size-limited, stored as JPEG with a thumbnail."""

import io
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.catalog.models import Product, ProductImage
from marketplace.core.errors import ValidationError
from marketplace.extensions import db

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 1200
THUMB_SIDE = 400


def check_image(data: bytes, formats=ALLOWED_FORMATS, not_image: str | None = None,
                field: str = "image") -> Image.Image:
    """The upload checks every picture goes through (product photos, transfer proofs): the byte cap, the pixel cap
    read from the header before anything is decoded, and a real image in one of ``formats``. Returns it loaded."""
    limit = current_app.config["MAX_IMAGE_BYTES"]
    not_image = not_image or _("Berkas ini bukan gambar JPEG, PNG atau WebP.")
    if len(data) > limit:
        raise ValidationError(
            _("Ukuran gambar maksimal %(mb)s MB.", mb=limit // (1024 * 1024)), field=field
        )
    try:
        probe = Image.open(io.BytesIO(data))
        # The header gives the size without decoding: a 20 KB PNG can unpack to 13000x13000 (1.5 GB).
        _check_pixels(probe.width, probe.height, field)
        probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in formats:
            raise ValidationError(not_image, field=field)
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _check_pixels(current_app.config["MAX_IMAGE_PIXELS"] + 1, 1, field)
        raise
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(not_image, field=field) from None
    return image


def _decode(data: bytes) -> Image.Image:
    return check_image(data).convert("RGB")


def _check_pixels(width: int, height: int, field: str = "image") -> None:
    cap = current_app.config["MAX_IMAGE_PIXELS"]
    if width * height > cap:
        raise ValidationError(
            _("Gambar terlalu besar: maksimal %(mp)s megapiksel.", mp=cap // 1_000_000), field=field
        )


def _store(image: Image.Image, relative: str, side: int) -> None:
    target = Path(current_app.config["MEDIA_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    copy = image.copy()
    copy.thumbnail((side, side))
    copy.save(target, "JPEG", quality=85, optimize=True)


def add_product_image(product: Product, data: bytes, alt: str = "") -> ProductImage:
    image = _decode(data)
    name = uuid.uuid4().hex
    path = f"products/{product.id}/{name}.jpg"
    thumb_path = f"products/{product.id}/{name}-thumb.jpg"
    _store(image, path, MAX_SIDE)
    _store(image, thumb_path, THUMB_SIDE)
    record = ProductImage(
        product=product,
        path=path,
        thumb_path=thumb_path,
        width=min(image.width, MAX_SIDE),
        height=min(image.height, MAX_SIDE),
        alt=alt or product.name,
        position=len(product.images),
    )
    db.session.add(record)
    db.session.flush()
    return record


def image_of_product(product: Product, image_id: int) -> ProductImage:
    from marketplace.core.errors import NotFound

    image = next((i for i in product.images if i.id == image_id), None)
    if image is None:
        raise NotFound(_("Gambar tidak ditemukan."))
    return image


def _renumber(product: Product) -> None:
    for position, image in enumerate(product.images):
        image.position = position


def move_product_image(product: Product, image: ProductImage, offset: int) -> None:
    """Moves an image earlier (negative) or later (positive); the first image is the cover."""
    images = list(product.images)
    index = images.index(image)
    target = max(0, min(len(images) - 1, index + offset))
    images.insert(target, images.pop(index))
    product.images[:] = images
    _renumber(product)
    db.session.flush()


def delete_product_image(product: Product, image: ProductImage) -> None:
    """Removes the row; the files are removed only after the transaction commits (a rollback keeps them)."""
    product.images.remove(image)
    _renumber(product)
    db.session.flush()
    pending = db.session.info.setdefault("delete_media", [])
    pending.extend([image.path, image.thumb_path])


@event.listens_for(Session, "after_commit")
def _delete_media_after_commit(session: Session) -> None:
    paths = session.info.pop("delete_media", None)
    if paths:
        media = Path(current_app.config["MEDIA_DIR"])
        for relative in paths:
            (media / relative).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_media_after_rollback(session: Session) -> None:
    session.info.pop("delete_media", None)
