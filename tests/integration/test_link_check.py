"""The link check through its real parts: `flask cia check-links` and the administrators' button fetch
the links of current assessments from a real HTTP server on 127.0.0.1 (started by the test), record
dead ones in link_check, and the check page shows them as advice on the assessment."""

from __future__ import annotations

import html as htmllib

import pytest
from sqlalchemy import select

from cia import linkfetch as fetch
from cia import workflow as wf
from cia.data import assessments
from cia.data import linkchecks as store
from cia.domain import EvidenceItem
from cia.extensions import db
from cia.models import AuditEvent, User
from tests.helpers import findings_text
from tests.linkserver import LinkServer
from tests.workflow_helpers import current, in_state, make_cast, signed_in_client

EVIDENCE_HOST = "evidence.example.org"
#: The realistic assessment's own links point at these hosts: pinned to 127.0.0.1 too, so that nothing
#: leaves the machine (port 443 there refuses: "could not connect", which is not dead).
OTHER_HOSTS = ("www.staffordshire.gov.uk", "www.ons.gov.uk", "www.gov.uk")


@pytest.fixture
def server(app, monkeypatch):
    with LinkServer() as running:
        for name, value in {"CIA_LINK_CHECK_ALLOW_LOOPBACK": True, "CIA_LINK_CHECK_HOST_INTERVAL": 0,
                            "CIA_LINK_CHECK_TIMEOUT": 2,
                            "CIA_LINK_CHECK_HOSTS": {h: "127.0.0.1" for h in (EVIDENCE_HOST, *OTHER_HOSTS)}}.items():
            monkeypatch.setitem(app.config, name, value)
        store.forget_dead_links()
        yield running
    store.forget_dead_links()


@pytest.fixture
def cast(app):
    with app.app_context():
        made = make_cast()
        return {"owner": made.owner.email, "admin": made.admin.email, "outsider": made.outsider.email,
                "owner_id": made.owner.id}


def _assessment_with_links(app, cast, server) -> int:
    with app.app_context():
        aid = in_state(make_cast(), wf.DRAFT)
        revision = current(aid)
        section = assessments.load_part(revision, "evidence:economy")
        section.data.evidence.items += [
            EvidenceItem(title="Bus survey", kind="data", link=server.url("/ok", EVIDENCE_HOST)),
            EvidenceItem(title="Old fares study", kind="research", link=server.url("/missing", EVIDENCE_HOST)),
        ]
        section.data.evidence.narrative += f"\n\nSee also [the withdrawn plan]({server.url('/gone', EVIDENCE_HOST)})."
        owner = db.session.get(User, cast["owner_id"])
        assert assessments.save_part(revision, "evidence:economy", section.data, section.version, owner).ok
        db.session.commit()
        return aid


def test_the_command_records_dead_links_and_the_check_page_shows_them_as_advice(app, cast, server):
    aid = _assessment_with_links(app, cast, server)
    result = app.test_cli_runner().invoke(args=["cia", "check-links"])
    assert result.exit_code == 0, result.output
    missing, gone, ok = (server.url(p, EVIDENCE_HOST) for p in ("/missing", "/gone", "/ok"))
    assert f"Dead: {missing} (page not found (404))" in result.output
    assert f"Dead: {gone} (page removed (410))" in result.output
    assert result.output.startswith("Checked 11 links of 11: 2 dead, 8 could not be reached.")
    with app.app_context():
        rows = {r.url: r for r in db.session.execute(select(store.LinkCheck)).scalars()}
        assert rows[ok].outcome == fetch.OK and rows[missing].status_code == 404
        assert {u for u, r in rows.items() if r.outcome == fetch.DEAD} == {missing, gone}
    assert [m for _t, m, _p in server.log].count("HEAD") == 3  # headers only, once each

    page = signed_in_client(app, cast["owner"]).get(f"/assessments/{aid}/check")
    text = htmllib.unescape(page.get_data(as_text=True))
    advice = findings_text(text, "advice")
    assert f"“{missing}” did not open when it was checked on" in advice
    assert "page not found (404). Replace it with a link that works, or remove it" in advice
    assert f"“{gone}” did not open" in advice and f"“{ok}”" not in text

    again = app.test_cli_runner().invoke(args=["cia", "check-links", "--limit", "2"])
    assert again.output.startswith("Checked 2 links of 11")


def test_the_administrators_button_checks_a_bounded_set(app, cast, server, monkeypatch):
    aid = _assessment_with_links(app, cast, server)
    monkeypatch.setitem(app.config, "CIA_LINK_CHECK_PAGE_LINKS", 3)
    admin = signed_in_client(app, cast["admin"])
    page = admin.get("/admin/link-check")
    assert page.status_code == 200
    assert "No links have been checked yet" in page.get_data(as_text=True)
    done = admin.post("/admin/link-check", data={})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/link-check")
    shown = htmllib.unescape(admin.get("/admin/link-check").get_data(as_text=True))
    assert "Checked 3 links of 11:" in shown
    with app.app_context():
        assert len(db.session.execute(select(store.LinkCheck)).scalars().all()) == 3
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "links.check")).scalar_one()
        assert event.details["checked"] == 3
    for _ in range(3):
        admin.post("/admin/link-check", data={})
    shown = htmllib.unescape(admin.get("/admin/link-check").get_data(as_text=True))
    assert "Dead links (2)" in shown and server.url("/missing", EVIDENCE_HOST) in shown
    assert aid


def test_only_administrators_may_see_or_run_the_link_check(app, cast, server):
    for email in (cast["owner"], cast["outsider"]):
        client = signed_in_client(app, email)
        assert client.get("/admin/link-check").status_code == 403
        assert client.post("/admin/link-check", data={}).status_code == 403
    with app.app_context():
        assert db.session.execute(select(store.LinkCheck)).scalars().all() == []
    assert server.log == []


def test_production_refuses_the_test_only_settings(tmp_path, monkeypatch):
    from cia import create_app

    monkeypatch.setenv("CIA_INSTANCE_PATH", str(tmp_path))
    for setting, value in (("CIA_LINK_CHECK_ALLOW_LOOPBACK", True), ("CIA_LINK_CHECK_HOSTS", {"a.org": "10.0.0.1"})):
        with pytest.raises(RuntimeError, match="for tests only"):
            create_app({"CIA_ENV": "production", "SECRET_KEY": "k" * 40, "CIA_BASE_URL": "https://cia.example.gov.uk",
                        setting: value})
    production = {"CIA_ENV": "production", "SECRET_KEY": "k" * 40, "CIA_BASE_URL": "https://cia.example.gov.uk"}
    assert create_app(production).config["CIA_LINK_CHECK_ALLOW_LOOPBACK"] is False
