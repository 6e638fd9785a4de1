"""Two team members approve the same application at the same instant, each on its own PostgreSQL connection: one
decision, one status change, one email; the other click is told nothing changed. Committed data on a scratch
database (the rollback fixture would hide the race)."""

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import VerificationStatus
from marketplace.mail.services import TOPIC as MAIL_TOPIC
from marketplace.opop import services
from marketplace.opop.models import Decision, DecisionAction
from marketplace.outbox.models import OutboxEvent
from tests.services import scratch_postgres_database

CLICKS = 8


@pytest.fixture(scope="module")
def race_app(tmp_path_factory):
    with scratch_postgres_database() as url:
        base = tmp_path_factory.mktemp("opop-race")
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(base / "media"),
                         SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLICKS + 2})
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def test_simultaneous_approvals_make_one_decision(race_app):
    with race_app.app_context():
        team = [User(email=f"tim{i}@opop.uji", name=f"Tim {i}", password_hash="-", is_opop_admin=True)
                for i in range(CLICKS)]
        owner = User(email="ketua@balapan.uji", name="Ketua", password_hash="-")
        db.session.add_all([*team, owner])
        pesantren = koperasi_services.create_pesantren("Pesantren Balapan", "kab-kediri")
        koperasi = koperasi_services.create_koperasi(pesantren, "Koppontren Balapan", nib="9777000000001",
                                                     legal_entity_number="AHU-77", region_code="kab-kediri")
        koperasi_services.add_member(koperasi, owner, koperasi_services.Role.OWNER)
        koperasi_services.change_status(koperasi, VerificationStatus.SUBMITTED)
        db.session.commit()
        koperasi_id, team_ids = koperasi.id, [u.id for u in team]
        mails_before = db.session.scalar(select(func.count()).select_from(OutboxEvent)
                                         .where(OutboxEvent.topic == MAIL_TOPIC))

    barrier = threading.Barrier(CLICKS)
    outcomes: list[str] = []

    def click(user_id: int) -> None:
        with race_app.app_context():
            actor = db.session.get(User, user_id)
            barrier.wait()
            try:
                services.decide(actor, koperasi_id, DecisionAction.APPROVE)
                db.session.commit()
                outcomes.append("decided")
            except services.AlreadyDecided:
                db.session.rollback()
                outcomes.append("no-op")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click, args=(user_id,)) for user_id in team_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["decided"] + ["no-op"] * (CLICKS - 1)
    with race_app.app_context():
        approvals = db.session.scalar(select(func.count()).select_from(Decision).where(
            Decision.koperasi_id == koperasi_id, Decision.action == DecisionAction.APPROVE))
        mails = db.session.scalar(select(func.count()).select_from(OutboxEvent)
                                  .where(OutboxEvent.topic == MAIL_TOPIC))
        assert approvals == 1 and mails - mails_before == 1
