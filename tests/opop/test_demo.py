"""The demo step leaves applicants in every state, several cohorts, a decision log, flagship history and a year
of paid orders, so the queue, the dashboard and /opop show real figures."""

import random

from sqlalchemy import func, select

from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.koperasi.models import Koperasi, VerificationStatus
from marketplace.opop import stats
from marketplace.opop.demo import seed_programme, seed_sales_history
from marketplace.opop.models import Cohort, Decision, FlagshipMark
from marketplace.orders.models import Order


def test_demo_step(db, make_user, make_koperasi, make_product):
    make_user(email="admin.demo@uji.opop.id", is_opop_admin=True)
    make_user(email="pembeli@demo.opop.id", name="Pembeli Demo")
    koperasi = make_koperasi()
    products = [make_product(koperasi=koperasi, is_flagship=n == 0) for n in range(3)]
    warehouse = create_warehouse(koperasi, "Gudang Demo")
    for product in products:
        set_stock(product.variants[0], warehouse, 20, note="Stok awal")
    rng = random.Random(1)
    seed_programme(koperasi, products, rng)
    seed_sales_history(koperasi, products, rng)
    db.session.commit()

    statuses = set(db.session.scalars(select(Koperasi.status)))
    assert statuses == set(VerificationStatus)
    assert db.session.scalar(select(func.count()).select_from(Cohort)) >= 5
    assert db.session.scalar(select(func.count()).select_from(Decision).where(Decision.reason != "")) >= 2
    assert db.session.scalar(select(func.count()).select_from(FlagshipMark)) == 1
    assert db.session.scalar(select(func.count()).select_from(Order).where(Order.koperasi_id == koperasi.id)) == 4
    assert sum(r["orders"] for r in stats.sales_by_month()) == 4
