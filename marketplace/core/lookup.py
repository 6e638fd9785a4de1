"""Finding a koperasi's own row by the id (or number) a URL or form names.

Every dashboard lookup goes through ``owned_or_404``: a row of another koperasi and a row that does not exist
answer the same ``NotFound``, so staff cannot probe what other koperasi hold (invariant I6)."""

from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound
from marketplace.core.numbers import is_db_int
from marketplace.extensions import db

Model = TypeVar("Model")


def owned_or_404(model: type[Model], koperasi_id: int, key, *, by: str = "id") -> Model:
    """The ``model`` row whose ``by`` column equals ``key`` and that belongs to ``koperasi_id``, else NotFound
    with the model's own message (its ``not_found_message``)."""
    column = getattr(model, by)
    if isinstance(key, int) and not is_db_int(key):  # an id past the column's range exists nowhere
        raise NotFound(str(getattr(model, "not_found_message", None) or _("Data tidak ditemukan.")))
    row = db.session.scalar(select(model).where(column == key, model.koperasi_id == koperasi_id))
    if row is None:
        raise NotFound(str(getattr(model, "not_found_message", None) or _("Data tidak ditemukan.")))
    return row
