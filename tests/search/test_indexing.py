"""Changes reach the index through the outbox: one event per changed product per transaction, nothing for a
rolled-back change, and the indexing task is safe to run twice."""

import re

from sqlalchemy import select, text

from marketplace.catalog.models import Product
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import VerificationStatus
from marketplace.outbox.models import OutboxEvent
from marketplace.outbox.services import dispatch_pending, record
from marketplace.search.services import get_engine, reindex_products
from search_index import SearchRequest


def events(db, topic="product.changed"):
    return [e.payload for e in db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == topic))]


def publish(db):
    db.session.commit()
    dispatch_pending()
    db.session.commit()


def found(text: str, **fields) -> list:
    return get_engine().search(SearchRequest(text=text, **fields)).hits


def test_building_a_product_records_one_event(db, search_dir, make_product):
    product = make_product(name="Madu Klanceng", prices=(50000, 90000), halal=True)
    assert events(db).count({"product_id": product.id}) == 1


def test_a_price_edit_reaches_search(db, search_dir, make_product):
    product = make_product(name="Gula Semut Aren", prices=(30000,))
    publish(db)
    assert [h.price for h in found("gula semut")] == [30000]
    product.variants[0].price = 27500  # edited without a service: the flush hook still records the change
    publish(db)
    assert [h.price for h in found("gula semut")] == [27500]


def test_a_rolled_back_edit_records_nothing(db, search_dir, make_product):
    product = make_product(name="Sambal Roa")
    publish(db)
    before = len(events(db))
    product.name = "Sambal Roa Pedas Sekali"
    db.session.flush()
    db.session.rollback()
    assert len(events(db)) == before
    assert [h.name for h in found("sambal roa")] == ["Sambal Roa"]


def test_a_suspended_koperasi_leaves_search_and_comes_back(db, search_dir, make_koperasi, make_product):
    koperasi = make_koperasi()
    make_product(koperasi, name="Tasbih Kayu Stigi")
    publish(db)
    assert len(found("tasbih stigi")) == 1
    koperasi_services.change_status(koperasi, VerificationStatus.SUSPENDED)
    publish(db)
    assert found("tasbih stigi") == []
    koperasi_services.change_status(koperasi, VerificationStatus.VERIFIED)
    publish(db)
    assert len(found("tasbih stigi")) == 1


def test_stock_events_by_variant_reindex_the_product(db, search_dir, make_product):
    product = make_product(name="Kripik Gadung")
    publish(db)
    # A change the catalog did not announce (raw SQL), then the inventory's event for one of its variants.
    db.session.execute(text("UPDATE product SET name = 'Kripik Gadung Balado' WHERE id = :id"), {"id": product.id})
    record("stock.changed", variant_id=product.variants[0].id, product_id=None)
    publish(db)
    assert [h.name for h in found("gadung")] == ["Kripik Gadung Balado"]


def test_indexing_twice_keeps_one_document(db, search_dir, make_product):
    product = make_product(name="Kopiah Anyam Bambu")
    publish(db)
    reindex_products([product.id])
    reindex_products([product.id, product.id])
    assert [h.product_id for h in found("anyam bambu")] == [product.id]
    db.session.delete(db.session.get(Product, product.id))
    publish(db)
    assert found("anyam bambu") == []


def test_nightly_rebuild_drops_an_expired_halal_flag(app, db, search_dir, make_product):
    from datetime import date, timedelta

    from marketplace.search.tasks import rebuild_index

    product = make_product(name="Madu Mangga Probolinggo", halal_valid_until=date.today() + timedelta(days=30))
    publish(db)
    assert get_engine().search(SearchRequest(text="madu mangga", halal_only=True)).total == 1
    # The certificate's date passes: nothing is edited, so no event says so.
    db.session.execute(
        text("UPDATE certification SET valid_until = :day WHERE product_id = :id"),
        {"day": date.today() - timedelta(days=1), "id": product.id},
    )
    app.extensions["celery"].tasks[rebuild_index.name].apply()
    assert get_engine().search(SearchRequest(text="madu mangga", halal_only=True)).total == 0
    assert get_engine().search(SearchRequest(text="madu mangga")).total == 1


def test_seller_edits_reach_search(db, search_dir, make_product):
    from marketplace.catalog import services as catalog
    from marketplace.catalog.models import ProductStatus

    product = make_product(name="Sarung Goyor Lama", prices=(150000,))
    publish(db)
    catalog.update_product(product, name="Sarung Goyor Tenun Ikat", category=None, description="Adem dan halus.")
    variant = product.variants[0]
    catalog.update_variant(variant, sku=variant.sku, price=139000, weight_grams=450)
    publish(db)
    assert [(h.name, h.price) for h in found("goyor ikat")] == [("Sarung Goyor Tenun Ikat", 139000)]
    catalog.change_product_status(product, ProductStatus.ARCHIVED)
    publish(db)
    assert found("goyor") == []


def test_a_rebuild_goes_live_with_the_changes_made_while_it_was_reading(db, search_dir, make_product, monkeypatch):
    from marketplace.search import services
    from search_index import whoosh_compat
    from search_index.storage import swap_in

    first = make_product(name="Dodol Nangka")
    make_product(name="Dodol Durian")
    publish(db)
    read_documents = services.all_documents

    def documents_while_a_seller_edits():
        for number, document in enumerate(read_documents()):
            yield document
            if number == 0:  # a seller renames the product the rebuild has just read
                db.session.get(Product, first.id).name = "Dodol Nangka Madura"
                publish(db)

    names_at_swap = []

    def look_then_swap(base, generation):
        searcher = whoosh_compat.new_searcher(whoosh_compat.open_index(str(generation)))
        names_at_swap.extend(sorted(fields["name"] for fields in searcher.all_stored_fields()))
        searcher.close()
        swap_in(base, generation)

    monkeypatch.setattr(services, "all_documents", documents_while_a_seller_edits)
    monkeypatch.setattr("search_index.writer.swap_in", look_then_swap)
    services.rebuild()
    assert names_at_swap == ["Dodol Durian", "Dodol Nangka Madura"]  # already right when it went live
    assert [h.name for h in found("dodol nangka")] == ["Dodol Nangka Madura"]


def test_search_status_names_the_live_generation_or_says_how_to_recover(app, db, search_dir, make_product):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 0 and "Search index unavailable" in result.output
    assert "flask search rebuild" in result.output
    make_product(name="Tasbih Kokka")
    make_product(name="Tasbih Kayu Stigi")
    db.session.commit()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 0
    assert re.fullmatch(r"gen-\S+: 2 products, \d segment\(s\)\n", result.output), result.output
