"""The dashboard and the lists: your assessments, awaiting your sign-off, all assessments (filters, search,
pagination), notifications, the outbox and the audit search; statements per page do not grow with the data."""

from __future__ import annotations

import html as htmllib
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from cia import workflow as wf
from cia.data import assessments, audit
from cia.extensions import db
from cia.models import ApprovalRequest, AuditEvent, Revision, User, utcnow
from tests.helpers import PASSWORD, make_user

ROUTES = ["cabinet", "cabinet_member", "officer", "committee"]
STATUSES = list(wf.STATES)


@pytest.fixture
def people(app):
    with app.app_context():
        made = {
            "author": make_user("writer@example.gov.uk", "Wren Writer"),
            "approver": make_user("signer@example.gov.uk", "Sid Signer", "approver", "manager"),
            "admin": make_user("chief@example.gov.uk", "Cleo Chief", "admin"),
            "stranger": make_user("stranger@example.gov.uk", "Stan Stranger"),
        }
        db.session.commit()
        return {k: (u.id, u.email) for k, u in made.items()}


def make_assessments(app, people, n: int, start: int = 0) -> list[int]:
    """n assessments by the author, spread over statuses, routes, directorates and decision dates."""
    ids = []
    with app.app_context():
        author = db.session.get(User, people["author"][0])
        approver_id = people["approver"][0]
        for i in range(start, start + n):
            assessment = assessments.create(author, f"Proposal number {i:03d}" + (" library" if i % 5 == 0 else ""))
            db.session.flush()
            revision = db.session.get(Revision, assessment.current_revision_id)
            revision.status = STATUSES[i % len(STATUSES)]
            revision.decision_route = ROUTES[i % len(ROUTES)]
            revision.directorate = "Health and Care" if i % 2 else "Economy, Infrastructure and Skills"
            revision.decision_date = f"2026-{(i % 12) + 1:02d}-15"
            if revision.status != wf.DRAFT:
                db.session.add(ApprovalRequest(revision_id=revision.id, assessment_id=assessment.id,
                                               approver_id=approver_id, level="manager", requested_by_id=author.id))
            ids.append(assessment.id)
        db.session.commit()
    return ids


def client_for(app, email: str):
    client = app.test_client()
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def proposals(response) -> list[str]:
    return re.findall(r"Proposal number \d{3}", text_of(response))


@contextmanager
def counting_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_all_assessments_filters_and_search(app, people):
    make_assessments(app, people, 30)
    admin = client_for(app, people["admin"][1])
    everything = admin.get("/assessments/all")
    assert everything.status_code == 200 and "Showing 1 to 25 of 30 assessments" in text_of(everything)
    approved = admin.get("/assessments/all?status=approved")
    assert len(proposals(approved)) == 6 and "of 6 assessments" in text_of(approved)
    assert set(proposals(approved)) == {f"Proposal number {i:03d}" for i in range(30) if STATUSES[i % 5] == "approved"}
    route = proposals(admin.get("/assessments/all?decision_route=committee"))
    assert set(route) == {f"Proposal number {i:03d}" for i in range(30) if ROUTES[i % 4] == "committee"}
    health = proposals(admin.get("/assessments/all?directorate=health"))
    assert set(health) == {f"Proposal number {i:03d}" for i in range(30) if i % 2}
    search = proposals(admin.get("/assessments/all?q=LIBRARY"))
    assert set(search) == {f"Proposal number {i:03d}" for i in range(30) if i % 5 == 0}
    dated = proposals(admin.get("/assessments/all?from-day=1&from-month=3&from-year=2026"
                                "&to-day=30&to-month=4&to-year=2026"))
    assert set(dated) == {f"Proposal number {i:03d}" for i in range(30) if (i % 12) + 1 in (3, 4)}
    combined = proposals(admin.get("/assessments/all?status=draft&directorate=economy&q=number"))
    assert set(combined) == {f"Proposal number {i:03d}" for i in range(30) if i % 5 == 0 and i % 2 == 0}
    nothing = admin.get("/assessments/all?q=%25_nothing")
    assert "No assessments match the filters" in text_of(nothing)
    bad = admin.get("/assessments/all?from-day=31&from-month=2&from-year=2026")
    assert bad.status_code == 400 and "Decision date from must be a real date" in text_of(bad)
    assert 'href="#from-day"' in bad.get_data(as_text=True)


def test_all_assessments_pagination(app, people):
    make_assessments(app, people, 60)
    admin = client_for(app, people["admin"][1])
    first, third = admin.get("/assessments/all"), admin.get("/assessments/all?page=3")
    assert len(proposals(first)) == 25 and len(proposals(third)) == 10
    assert "Showing 51 to 60 of 60 assessments" in text_of(third)
    html = first.get_data(as_text=True)
    assert 'class="govuk-pagination' in html and 'aria-current="page"' in html and "page=2" in html
    seen = proposals(first) + proposals(admin.get("/assessments/all?page=2")) + proposals(third)
    assert len(set(seen)) == 60
    filtered = admin.get("/assessments/all?directorate=health&page=2")
    links = re.findall(r'class="govuk-link govuk-pagination__link" href="([^"]+)"', filtered.get_data(as_text=True))
    assert links and all("directorate=health" in link for link in links)  # the filters stay on the page links
    assert len(proposals(admin.get("/assessments/all?page=999"))) == 10  # past the end: the last page


def test_who_sees_what(app, people):
    make_assessments(app, people, 10)
    with app.app_context():
        make_user("another@example.gov.uk", "Ana Another", "approver", "manager")
        db.session.commit()
    # An approver sees the assessments sent to them; another approver none; authors cannot open the list.
    assert len(proposals(client_for(app, people["approver"][1]).get("/assessments/all"))) == 8
    assert proposals(client_for(app, "another@example.gov.uk").get("/assessments/all")) == []
    assert client_for(app, people["stranger"][1]).get("/assessments/all").status_code == 403
    assert client_for(app, people["stranger"][1]).get("/assessments/admin/audit").status_code == 403
    assert client_for(app, people["approver"][1]).get("/assessments/admin/outbox").status_code == 403
    assert client_for(app, people["stranger"][1]).get("/assessments/awaiting").status_code == 403
    assert client_for(app, people["admin"][1]).get("/assessments/admin/outbox").status_code == 200
    with app.app_context():
        refused = db.session.execute(select(AuditEvent).where(AuditEvent.action == "access.refused")).scalars().all()
    assert len(refused) == 4
    assert "/" == client_for(app, people["stranger"][1]).get("/").request.path
    home = text_of(client_for(app, people["author"][1]).get("/"))
    assert "Your assessments" in home and "Proposal number 000" in home and "Awaiting your sign-off" not in home


def test_awaiting_lists_only_submitted_current_revisions_waiting_for_this_approver(app, people):
    make_assessments(app, people, 10)
    page = client_for(app, people["approver"][1]).get("/")
    body = text_of(page)
    assert "Awaiting your sign-off (2)" in body  # 10 assessments, 2 submitted
    assert "Proposal number 001" in body and "Proposal number 006" in body


@pytest.mark.parametrize("path, role", [("/", "author"), ("/", "approver"), ("/assessments/all", "admin"),
                                        ("/assessments/all?status=submitted&q=number", "approver"),
                                        ("/assessments/awaiting", "approver"),
                                        ("/assessments/admin/audit?action=assessment", "admin")])
def test_statements_per_page_do_not_grow_with_the_number_of_assessments(app, people, path, role):
    client = client_for(app, people[role][1])

    def statements() -> int:
        with app.app_context(), counting_statements() as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    make_assessments(app, people, 5)
    few = statements()
    make_assessments(app, people, 55, start=5)
    many = statements()
    assert many == few, f"{path}: {few} statements for 5 assessments, {many} for 60"


def test_the_audit_search(app, people):
    ids = make_assessments(app, people, 3)
    with app.app_context():
        author = db.session.get(User, people["author"][0])
        audit.record("workflow.submit", actor=author, assessment_id=ids[1], revision=1, remote_addr="10.1.1.1")
        db.session.commit()
        reference = db.session.get(__import__("cia.models", fromlist=["Assessment"]).Assessment, ids[1]).reference
        today = utcnow().date()
    admin = client_for(app, people["admin"][1])
    by_email = text_of(admin.get("/assessments/admin/audit?email=WRITER@"))
    assert "Started the assessment" in by_email and "Submitted it for sign-off" in by_email
    by_action = text_of(admin.get("/assessments/admin/audit?action=workflow.submit"))
    assert "of 1 entry" in by_action and reference in by_action and "10.1.1.1" in by_action
    by_reference = text_of(admin.get(f"/assessments/admin/audit?reference={reference}"))
    assert "of 2 entries" in by_reference
    on_day = (f"from-day={today.day}&from-month={today.month}&from-year={today.year}"
              f"&to-day={today.day}&to-month={today.month}&to-year={today.year}")
    assert "Nothing matches" not in text_of(admin.get(f"/assessments/admin/audit?{on_day}"))
    assert "Nothing matches" in text_of(admin.get("/assessments/admin/audit?from-day=1&from-month=1&from-year=2001"
                                                  "&to-day=2&to-month=1&to-year=2001"))
    wrong = admin.get("/assessments/admin/audit?from-day=1&from-month=1&from-year=2026&to-day=1&to-month=1&to-year=2025")
    assert wrong.status_code == 400 and "Date to must be the same as or after date from" in text_of(wrong)
