"""Sign-off workflow under concurrency (two requests at the same moment, each with its own connection)
and the migration of the workflow tables on empty SQLite and PostgreSQL databases."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from cia import workflow as wf
from cia.data import workflow as flow
from cia.extensions import db
from cia.models import ApprovalRequest, AuditEvent
from tests.workflow_helpers import access_as, current, in_state, make_cast


def audit_rows(assessment_id: int, action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.assessment_id == assessment_id,
                                                            AuditEvent.action == action)).scalars())


def test_two_submits_at_the_same_moment_make_one_transition(app):
    """Two requests race (threads, each with its own connection): exactly one transition, one audit row."""
    import threading

    with app.app_context():
        cast = make_cast()
        aid = in_state(cast, wf.DRAFT)
        owner_id, approver_id = cast.owner.id, cast.approver.id
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def attempt():
        try:
            with app.app_context():
                from cia.models import User

                barrier.wait(timeout=10)
                owner = db.session.get(User, owner_id)
                outcomes.append(flow.submit(access_as(owner, aid), [approver_id], owner).changed)
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(outcomes) == [False, True]
    with app.app_context():
        assert len(audit_rows(aid, "workflow.submit")) == 1
        assert db.session.execute(select(func.count()).select_from(ApprovalRequest)).scalar_one() == 1


def test_the_last_two_approvers_signing_off_at_the_same_moment_approve_it(app):
    """Neither can miss the other's decision: the revision row is held while each decides."""
    import threading

    with app.app_context():
        cast = make_cast()
        aid = in_state(cast, wf.SUBMITTED, approvers=[cast.approver, cast.second_approver])
        approver_ids = [cast.approver.id, cast.second_approver.id]
    barrier = threading.Barrier(2)
    errors = []

    def sign(approver_id):
        try:
            with app.app_context():
                from cia.models import User

                barrier.wait(timeout=10)
                flow.approve(current(aid), db.session.get(User, approver_id), "", True)
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sign, args=(i,)) for i in approver_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with app.app_context():
        assert current(aid).status == wf.APPROVED
        assert len(audit_rows(aid, "workflow.approve")) == 2


def _upgrade(url: str) -> set[str]:
    import os
    import subprocess
    import sys

    from sqlalchemy import create_engine

    from cia import ROOT

    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


WORKFLOW_TABLES = {"review_comment", "notification", "email_outbox", "approval_request"}


def test_migrations_create_the_workflow_tables_on_an_empty_sqlite_database(tmp_path):
    assert WORKFLOW_TABLES <= _upgrade(f"sqlite:///{tmp_path}/empty.sqlite3")


def test_migrations_create_the_workflow_tables_on_an_empty_postgresql_database():
    from tests.helpers import empty_postgresql_database

    with empty_postgresql_database("cia_workflow_migrate") as url:
        assert WORKFLOW_TABLES <= _upgrade(url)
