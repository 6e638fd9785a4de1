"""Per-product cache versions: what a cached page may be keyed by.

A flush hook notes which products, koperasi or shared rows (categories, pesantren) a transaction changed; just
before that transaction commits, one upsert bumps their counters in ``catalogue_version``, after every other lock the
transaction took (so two writers can never wait on each other through these rows). A reader takes the versions in
its first statement and the page data after, so a page built under version *n* holds data at least as new as *n*:
pre-commit data is never cached under a post-commit key. Stock is not versioned: it moves far more often, and pages
look it up live, so a checkout's stock hold or a quantity change invalidates no page.
"""

from collections.abc import Iterable

from sqlalchemy import Connection, Select, and_, bindparam, event, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from marketplace.catalog.models import (
    CatalogueVersion,
    Category,
    Certification,
    Product,
    ProductImage,
    ProductStatus,
    Variant,
)
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Pesantren, VerificationStatus

ALL = ("all", 0)
LISTING = ("listing", 0)
_DIRTY = "catalogue_dirty"


def _dirty(session: Session) -> dict:
    return session.info.setdefault(_DIRTY, {"products": set(), "koperasi": set(), "all": False})


def mark_products(product_ids: Iterable[int], session: Session | None = None) -> None:
    """For bulk statements that bypass the flush hook: these products' pages and every listing are stale."""
    _dirty(session or db.session)["products"].update(p for p in product_ids if p is not None)


def mark_everything(session: Session | None = None) -> None:
    _dirty(session or db.session)["all"] = True


def _product_id(obj) -> int | None:
    if obj.product_id is not None:
        return obj.product_id
    product = obj.__dict__.get("product")
    return product.id if product is not None else None


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, flush_context, instances) -> None:
    dirty = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, Product):
            dirty = dirty or _dirty(session)
            if obj.id is not None:
                dirty["products"].add(obj.id)
            koperasi = obj.koperasi_id or getattr(obj.__dict__.get("koperasi"), "id", None)
            dirty["koperasi"].add(koperasi)
            dirty["all"] = dirty["all"] or koperasi is None
        elif isinstance(obj, Variant | ProductImage | Certification):
            dirty = dirty or _dirty(session)
            product_id = _product_id(obj)
            if product_id is None:  # belongs to a product being created: that product is new, nothing cached
                continue
            dirty["products"].add(product_id)
        elif isinstance(obj, Koperasi):
            dirty = dirty or _dirty(session)
            dirty["koperasi"].add(obj.id)
        elif isinstance(obj, Category | Pesantren):
            dirty = dirty or _dirty(session)
            dirty["all"] = True


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    if session._is_clean() and _DIRTY not in session.info:
        return
    session.flush()  # commit would flush after this hook; its changes must be counted
    dirty = session.info.pop(_DIRTY, None)
    if not dirty:
        return
    keys = {LISTING}
    products = {p for p in dirty["products"] if p is not None}
    keys.update(("product", p) for p in products)
    koperasi = {k for k in dirty["koperasi"] if k is not None}
    if products:
        koperasi.update(session.scalars(select(Product.koperasi_id).where(Product.id.in_(products))))
    keys.update(("koperasi", k) for k in koperasi)
    if dirty["all"]:
        keys.add(ALL)
    _bump(session, sorted(keys))


def _bump(session: Session, keys: list[tuple[str, int]]) -> None:
    table = CatalogueVersion.__table__
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values([{"kind": kind, "ref_id": ref, "version": 1} for kind, ref in keys])
    session.execute(statement.on_conflict_do_update(index_elements=[table.c.kind, table.c.ref_id],
                                                    set_={"version": table.c.version + 1}))


@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *args) -> None:
    session.info.pop(_DIRTY, None)


_statements: dict = {}


def _statement(name: str, build):
    """Hot-path statements are built once per process (building a select costs more than running it)."""
    statement = _statements.get(name)
    if statement is None:
        statement = _statements[name] = build()
    return statement


def current(keys: Iterable[tuple[str, int]], connection: Connection | None = None) -> tuple[int, ...]:
    """The versions of ``keys``, in order (0 for a key never bumped): one query (on ``connection`` if given)."""
    keys = tuple(keys)
    statement = _statement(("current", keys), lambda: select(
        CatalogueVersion.kind, CatalogueVersion.ref_id, CatalogueVersion.version).where(
            or_(*(and_(CatalogueVersion.kind == kind, CatalogueVersion.ref_id == ref) for kind, ref in keys))))
    rows = (connection or db.session.connection()).execute(statement)
    found = {(kind, ref): version for kind, ref, version in rows}
    return tuple(found.get(key, 0) for key in keys)


def row_statement(keys: Iterable[tuple[str, int]]) -> Select:
    """One row holding the versions of ``keys`` in order (0 for a key never bumped), for callers that fold the
    version read into a larger first statement (the page cache reads live stock in the same round trip)."""
    keys = tuple(keys)

    def build():
        table = CatalogueVersion.__table__
        return select(*(func.coalesce(select(table.c.version).where(table.c.kind == kind, table.c.ref_id == ref)
                                      .scalar_subquery(), 0).label(f"v{i}") for i, (kind, ref) in enumerate(keys)))

    return _statement(("row", keys), build)


def product_page_statement() -> Select:
    """Bound by ``slug``: (product id, koperasi id, product, koperasi and shared versions), or no row when no buyer
    may see the product. Version columns are NULL for a key never bumped."""
    return _statement("product_page", _product_page_statement)


def _product_page_statement():
    product_v, koperasi_v, all_v = (aliased(CatalogueVersion, name=f"v_{kind}")
                                    for kind in ("product", "koperasi", "all"))
    return (
        select(Product.id, Product.koperasi_id, product_v.version, koperasi_v.version, all_v.version)
        .join(Koperasi, Koperasi.id == Product.koperasi_id)
        .outerjoin(product_v, and_(product_v.kind == "product", product_v.ref_id == Product.id))
        .outerjoin(koperasi_v, and_(koperasi_v.kind == "koperasi", koperasi_v.ref_id == Product.koperasi_id))
        .outerjoin(all_v, and_(all_v.kind == "all", all_v.ref_id == 0))
        .where(Product.slug == bindparam("slug"), Product.status == ProductStatus.PUBLISHED,
               Koperasi.status == VerificationStatus.VERIFIED)
    )


def product_page_versions(slug: str, connection: Connection | None = None) -> tuple[int, ...] | None:
    """What a product page depends on (the product, its koperasi and its other products, shared rows), read in one
    query; None when no buyer may see the product (the page is then rendered, as a 404)."""
    statement = product_page_statement()
    row = (connection or db.session.connection()).execute(statement, {"slug": slug}).first()
    if row is None:
        return None
    return tuple(v or 0 for v in row)
