"""Demo data for the programme: cohorts 2019–2025, each demo koperasi's application and decision log (backdated),
the flagship marks behind the demo's flagship products, and applicants waiting in every state, so the queue, the
dashboard and /opop show real figures."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.koperasi.models import VerificationStatus
from marketplace.opop import services
from marketplace.opop.models import Application, Cohort, Decision, DecisionAction, FlagshipMark

COHORT_YEARS = range(2019, 2026)
SALES_PER_KOPERASI = 4
# A tiny valid PDF: the demo's documents open in any viewer.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
APPLICANTS = (  # (pesantren, regency, state, reason)
    ("Pondok Pesantren Nurul Huda Sumenep", "kab-sumenep", VerificationStatus.SUBMITTED, ""),
    ("Pondok Pesantren Al-Amien Probolinggo", "kota-probolinggo", VerificationStatus.SUBMITTED, ""),
    ("Pondok Pesantren Darul Falah Ngawi", "kab-ngawi", VerificationStatus.SUBMITTED, ""),
    ("Pondok Pesantren Miftahul Ulum Pacitan", "kab-pacitan", VerificationStatus.DRAFT,
     "Dokumen NPWP tidak terbaca; unggah ulang pindaian yang jelas."),
    ("Pondok Pesantren Raudlatul Jannah Magetan", "kab-magetan", VerificationStatus.SUSPENDED,
     "Tiga pesanan tidak dikirim lebih dari 14 hari; dibekukan sampai ada pembinaan."),
    ("Pondok Pesantren Bahrul Ulum Tuban", "kab-tuban", VerificationStatus.VERIFIED, ""),
)


def _admin() -> User | None:
    return db.session.scalar(select(User).where(User.is_opop_admin.is_(True)).order_by(User.id).limit(1))


def _cohorts() -> list[Cohort]:
    existing = list(db.session.scalars(select(Cohort).order_by(Cohort.year)))
    if existing:
        return existing
    for year in COHORT_YEARS:
        services.create_cohort(year)
    return list(db.session.scalars(select(Cohort).order_by(Cohort.year)))


def seed_programme(koperasi, products, rng) -> None:
    cohorts = _cohorts()
    admin = _admin()
    index = db.session.scalar(select(func.count()).select_from(Application)) or 0
    if index == 0:
        _applicants(cohorts, admin)
        index = len(APPLICANTS)
    cohort = cohorts[index % len(cohorts)]
    owner = next((m.user for m in koperasi.memberships), None)
    db.session.add(Application(koperasi_id=koperasi.id, applicant=owner, cohort_id=cohort.id,
                               contacts=[{"role": "chair", "name": f"Ketua {koperasi.name}", "phone": koperasi.phone}],
                               submitted_at=datetime(cohort.year, 3, 1 + index % 27)))
    decided = datetime(cohort.year, 4, 1 + index % 27)
    db.session.add_all([
        Decision(koperasi_id=koperasi.id, action=DecisionAction.SUBMIT, from_status="draft", to_status="submitted",
                 decided_by_id=owner.id if owner else None, decided_at=datetime(cohort.year, 3, 1 + index % 27)),
        Decision(koperasi_id=koperasi.id, action=DecisionAction.APPROVE, from_status="submitted",
                 to_status="verified", decided_by_id=admin.id if admin else None, decided_at=decided),
    ])
    koperasi.verified_at = decided
    for product in products:
        if product.is_flagship:
            db.session.add(FlagshipMark(product_id=product.id, note="Kurasi demo: mutu, kemasan dan kontinuitas.",
                                        marked_by_id=admin.id if admin else None,
                                        marked_at=decided + timedelta(days=30 + rng.randint(0, 200))))
    db.session.flush()


def _applicants(cohorts: list[Cohort], admin: User | None) -> None:
    password_hash = generate_password_hash("opop12345")
    for n, (pesantren, region, state, reason) in enumerate(APPLICANTS, start=1):
        user = User(email=f"pemohon{n}@demo.opop.id", name=f"Pengurus {pesantren.split(' ', 2)[2]}",
                    password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
        application = services.submit_application(user, services.ApplicationInput(
            pesantren_name=pesantren, region_code=region, koperasi_name=f"Koppontren {pesantren.split(' ', 2)[2]}",
            nib=f"{9130000000000 + n * 1009}", legal_entity_number=f"AHU-{2000 + n:05d}.AH.01.26.TAHUN 2024",
            npwp=f"{710000000000000 + n * 3331}", phone=f"+62813{4000000 + n:07d}", nspp=f"5103{35100000 + n:08d}",
            leader=f"KH. Pengasuh {n}", contacts=[{"role": "chair", "name": f"Ketua {n}", "phone": ""}],
            documents=[("nib", "nib.pdf", DEMO_PDF), ("npwp", "npwp.pdf", DEMO_PDF)]))
        application.cohort_id = cohorts[-1].id
        if admin is None or state == VerificationStatus.SUBMITTED:
            continue
        if state == VerificationStatus.DRAFT:
            services.decide(admin, application.koperasi_id, DecisionAction.REJECT, reason)
        else:
            services.decide(admin, application.koperasi_id, DecisionAction.APPROVE)
            if state == VerificationStatus.SUSPENDED:
                services.decide(admin, application.koperasi_id, DecisionAction.SUSPEND, reason)


def seed_sales_history(koperasi, products, rng) -> None:
    """A year of the demo buyer's orders (paid, shipped, received) through the order and stock services, so the
    dashboard's monthly sales and the public page's totals have something to show."""
    from marketplace.inventory.queries import available_by_variant
    from marketplace.inventory.services import LineRequest, allocate_lines
    from marketplace.orders import services as orders
    from marketplace.orders.models import Order, OrderLine

    buyer = db.session.scalar(select(User).where(User.email == "pembeli@demo.opop.id"))
    variants = [v for p in products if p.status.value == "published" for v in p.variants]
    available = available_by_variant([v.id for v in variants])
    now = datetime.now().replace(microsecond=0)
    for n in range(SALES_PER_KOPERASI):
        stocked = [v for v in variants if available.get(v.id, 0) >= 2]
        if buyer is None or not stocked:
            return
        variant = rng.choice(stocked)
        quantity = rng.randint(1, 2)
        available[variant.id] -= quantity
        paid_at = now - timedelta(days=rng.randint(3, 360), minutes=rng.randint(0, 600))
        number = f"OPD{koperasi.id:03d}{n:02d}"
        order = Order(number=number, checkout_token=f"demo-{number}", koperasi_id=koperasi.id, user_id=buyer.id,
                      email=buyer.email, courier="jne", subtotal=variant.price * quantity, shipping_cost=12000,
                      total=variant.price * quantity + 12000, weight_grams=variant.weight_grams * quantity,
                      address={"recipient": buyer.name, "phone": buyer.phone or "", "street": "Jl. Demo 1",
                               "region_code": "kota-surabaya", "postal_code": "60111"},
                      created_at=paid_at - timedelta(minutes=20))
        order.lines.append(OrderLine(variant_id=variant.id, product_name=variant.product.name,
                                     variant_label=variant.label, sku=variant.sku, unit_price=variant.price,
                                     quantity=quantity, weight_grams=variant.weight_grams))
        db.session.add(order)
        db.session.flush()
        orders.record_created(order)
        allocate_lines([LineRequest(variant.id, quantity, order.lines[0].id)], reference=number)
        orders.mark_paid(order, now=paid_at)
        if paid_at < now - timedelta(days=10):
            orders.ship(order, f"JNE{koperasi.id:04d}{n:04d}DEMO")
            orders.confirm_received(order, buyer.id)
