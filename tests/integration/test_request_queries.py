"""Pages built from many GOV.UK widgets must not query the database once per widget."""

from __future__ import annotations

from sqlalchemy import event

from cia.extensions import db
from tests.helpers import sign_in


def test_the_notification_count_is_one_query_per_request_not_per_field(app, client, users):
    sign_in(client, "author@example.gov.uk")
    assessment_id = int(client.post("/assessments/new", data={"name": "Widgets"}).headers["Location"]
                        .rsplit("/", 1)[1])
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(f"/assessments/{assessment_id}/staff")  # about 50 widgets
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    counts = [s for s in statements if "notification" in s.lower()]
    assert len(counts) == 1, f"{len(counts)} notification queries for one page"


def test_the_submitted_panel_shows_the_reference_not_markup(app, client, users):
    from cia.data import assessments as data
    from cia.models import User

    with app.app_context():
        created = data.create(db.session.get(User, users.author), "Panel")
        db.session.commit()
        assessment_id, reference = created.id, created.reference
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{assessment_id}/submitted").get_data(as_text=True)
    assert "&lt;br&gt;" not in page and "&lt;strong&gt;" not in page
    assert reference in page
