"""Confidential answers beyond whole rows: an Evidence Base item, an engagement activity, the answer to
a section's question and a Community Impact paragraph.

Each is marked with the same box as a row ("Mark as confidential: not for the public version") on its
own page, kept in the JSON format, merged like the answers beside it, and withheld in every format of
the public version, which says "Withheld: confidential (...)" in its place. The files are read back as
a reader would: python-docx, openpyxl, poppler's pdftotext, the JSON.
"""

from __future__ import annotations

import io
import json
import re
from html import unescape

import docx
import openpyxl
import pytest
from sqlalchemy import select

from cia import exports, jsonformat
from cia.data import assessments as data
from cia.data import templates
from cia.data.imports import import_assessment
from cia.domain import EngagementActivity, EvidenceItem, blank_assessment
from cia.extensions import db
from cia.models import Assessment, Template, User
from cia.web import forms
from tests.helpers import error_summary, give_edit_access, page_fields, post_page, signed_in, stored_part
from tests.integration.test_pdf_exports import page_texts

WALES = "integrated-impact-assessment-wales"
LABEL = "Mark as confidential: not for the public version"
WITHHELD = "Withheld: confidential (Schedule 12A paragraph 3)"
TAG = '<strong class="govuk-tag govuk-tag--grey">Confidential</strong>'

#: What each kind of marked answer holds, which no public file may contain.
SECRET = {
    "question": "The landlord of Llanfair library has asked for two point four million pounds",
    "evidence": "Valuation of the Llanfair lease by Morgan and Daughters",
    "activity": "Closed meeting with the Llanfair landlord",
    "paragraph": "The lease talks could fail if the landlord's asking price became known",
}
#: The answers beside them, not marked: in every version.
OPEN = {
    "question": "Move Llanfair library into the community hub on the high street",
    "evidence": "Library visits by ward, 2024 to 2025",
    "activity": "Drop-in sessions at the community hub",
    "paragraph": "The proposal has been assessed against the public sector equality duty",
}
#: Where each kind of answer is printed in the full version: the full CIA does not print the
#: Community Impact paragraphs, and the summary prints only them of these (and JSON has everything).
SHOWN_IN = {
    "question": {"xlsx", "docx", "pdf", "json"},
    "evidence": {"xlsx", "docx", "pdf", "json"},
    "activity": {"xlsx", "docx", "pdf", "json"},
    "paragraph": {"summary-docx", "summary-pdf", "json"},
}


def _wales(app) -> None:
    with app.app_context():
        templates.seed_bundled_templates([WALES])
        db.session.commit()


def _spec(app):
    with app.app_context():
        template = db.session.execute(select(Template).where(Template.slug == WALES)).scalar_one()
        return templates.spec_for_version(template.versions[0].id)


def assessment_with_answers(app, users, *, marked: bool) -> int:
    """A Welsh-template assessment, exempt under paragraph 3, with one answer of each kind marked
    confidential (when `marked`) beside one that is not."""
    _wales(app)
    spec = _spec(app)
    data = blank_assessment(spec, "Closing Llanfair library")
    data.details.publication_status, data.details.exempt_paragraph = "exempt", "3"
    about = data.section("about")
    ways = data.section("ways_of_working")
    about.answers["proposal_summary"] = OPEN["question"]
    ways.answers["long_term"] = SECRET["question"]
    ways.confidential = {"long_term": marked}
    equality = data.section("equality")
    equality.evidence.items = [EvidenceItem(title=SECRET["evidence"], link="https://example.org/lease-valuation",
                                            description="Commercially sensitive figures", confidential=marked),
                               EvidenceItem(title=OPEN["evidence"], period="2024 to 2025")]
    data.engagement.activities = [EngagementActivity(activity=SECRET["activity"], findings="The landlord would sell",
                                                     confidential=marked),
                                  EngagementActivity(activity=OPEN["activity"], findings="Residents want longer hours")]
    data.community_impact.risk = SECRET["paragraph"]
    data.community_impact.equalities_legal = OPEN["paragraph"]
    data.community_impact.confidential = {"risk": marked}
    with app.app_context():
        created = import_assessment(data, db.session.get(User, users.author))
        db.session.commit()
        return created.id


@pytest.fixture
def marked(app, users) -> int:
    return assessment_with_answers(app, users, marked=True)


@pytest.fixture
def unmarked(app, users) -> int:
    return assessment_with_answers(app, users, marked=False)


def _text(kind: str, body: bytes) -> str:
    """The file's text as a reader finds it, on one line."""
    if kind.endswith("pdf"):
        return " ".join(page_texts(body))
    if kind.endswith("docx"):
        document = docx.Document(io.BytesIO(body))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join(" ".join(parts).split())
    if kind == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body))
        return " ".join(" ".join(str(c.value).split()) for ws in book.worksheets for row in ws.iter_rows()
                        for c in row if c.value)
    return " ".join(json.dumps(json.loads(body), ensure_ascii=False).split())


def _download(client, aid: int, kind: str, public: bool) -> str:
    response = client.get(f"/assessments/{aid}/download/{kind}" + ("?version=public" if public else ""))
    assert response.status_code == 200, kind
    return _text(kind, response.data)


def test_each_kind_of_marked_answer_is_withheld_in_every_format_of_the_public_version(author, marked):
    for kind in exports.FORMATS:
        full, public = _download(author, marked, kind, False), _download(author, marked, kind, True)
        for what, secret in SECRET.items():
            assert secret not in public, (kind, what)
            assert (secret in full) == (kind in SHOWN_IN[what]), (kind, what)
        for what, answer in OPEN.items():
            assert (answer in public) == (answer in full) == (kind in SHOWN_IN[what]), (kind, what)
        withheld = sum(kind in shown for shown in SHOWN_IN.values())
        assert public.count(WITHHELD) >= withheld, kind  # once in its place for each (the JSON repeats none)
        assert WITHHELD not in full, kind
    # What else a withheld evidence item or activity held goes too.
    for kind in ("xlsx", "docx", "pdf", "json"):
        public = _download(author, marked, kind, True)
        for gone in ("lease-valuation", "Commercially sensitive figures", "The landlord would sell"):
            assert gone not in public, (kind, gone)


def test_a_checker_finding_that_quotes_a_withheld_answer_says_where_but_not_what(app, users, author):
    """The link check quotes an evidence item without a link; the public version's findings keep the
    place and withhold the rest."""
    aid = assessment_with_answers(app, users, marked=True)
    with app.app_context():
        revision = db.session.get(Assessment, aid).current_revision
        loaded = data.load_part(revision, "evidence:equality")
        loaded.data.evidence.items[0].link = ""
        assert data.save_part(revision, "evidence:equality", loaded.data, loaded.version,
                              db.session.get(User, users.author)).ok
        db.session.commit()
    quoted = f"“{SECRET['evidence'][:40]}"
    full, public = _download(author, aid, "xlsx", False), _download(author, aid, "xlsx", True)
    assert f"evidence 1: {quoted}" in full and f"evidence 1: {WITHHELD}" not in full
    assert SECRET["evidence"][:40] not in public
    assert f"evidence 1: {WITHHELD}" in public
    assert f"evidence 2: “{OPEN['evidence']}” has no link" in public  # the item not marked: as it was


def test_answers_not_marked_are_the_same_in_both_versions(author, unmarked):
    for kind in ("json", "docx"):
        full, public = _download(author, unmarked, kind, False), _download(author, unmarked, kind, True)
        assert "Withheld" not in public, kind
        for what, secret in SECRET.items():
            assert (secret in public) == (secret in full) == (kind in SHOWN_IN[what]), (kind, what)


def test_the_json_keeps_each_mark_and_imports_it_unchanged(app, author, marked):
    document = author.get(f"/assessments/{marked}/download/json").get_json()
    assessment = document["assessment"]
    sections = {s["key"]: s for s in assessment["sections"]}
    assert sections["ways_of_working"]["confidential"] == {"long_term": True}
    assert [i["confidential"] for i in sections["equality"]["evidence"]["items"]] == [True, False]
    assert [a["confidential"] for a in assessment["engagement"]["activities"]] == [True, False]
    assert assessment["community_impact"]["confidential"] == {"risk": True}
    loaded = jsonformat.load(document)
    assert jsonformat.dump(loaded) == document  # export, import, export: the same document
    public = author.get(f"/assessments/{marked}/download/json?version=public").get_json()
    public_sections = {s["key"]: s for s in public["assessment"]["sections"]}
    assert public_sections["ways_of_working"]["answers"]["long_term"] == WITHHELD
    assert public_sections["ways_of_working"]["confidential"] == {"long_term": True}  # says what was withheld
    assert public["assessment"]["community_impact"]["risk"] == WITHHELD
    jsonformat.load(public)  # the public version is a valid document too


def test_a_document_written_before_the_marks_imports_with_nothing_marked(author, marked):
    document = author.get(f"/assessments/{marked}/download/json").get_json()

    def without_marks(value):
        if isinstance(value, dict):
            return {k: without_marks(v) for k, v in value.items() if k != "confidential"}
        return [without_marks(v) for v in value] if isinstance(value, list) else value

    loaded = jsonformat.load(without_marks(document))
    assert loaded.section("ways_of_working").confidential == {}
    assert not any(i.confidential for i in loaded.section("equality").evidence.items)
    assert not any(a.confidential for a in loaded.engagement.activities)
    assert loaded.community_impact.confidential == {}


def test_the_view_and_summary_show_the_marks_and_the_public_pdf_says_withheld_in_place(author, marked):
    view = author.get(f"/assessments/{marked}/view").get_data(as_text=True)
    assert view.count(TAG) == 3  # the evidence item, the activity and the question's answer
    assert SECRET["question"] in view and SECRET["evidence"] in view and SECRET["activity"] in view
    summary = author.get(f"/assessments/{marked}/summary").get_data(as_text=True)
    assert summary.count(TAG) == 1 and SECRET["paragraph"] in summary
    pages = " ".join(page_texts(author.get(f"/assessments/{marked}/download/pdf?version=public").data))
    assert re.search(r"Long term.{0,200}?" + re.escape(WITHHELD), pages), "the question's answer is withheld in place"
    summary_pages = " ".join(page_texts(author.get(f"/assessments/{marked}/download/summary-pdf?version=public").data))
    assert "Risk " + WITHHELD in summary_pages or re.search(r"Risk.{0,40}" + re.escape(WITHHELD), summary_pages)


# --- marking on the pages ----------------------------------------------------------------


def _box(html: str, name: str) -> str | None:
    """The checkbox `name` as shown: "checked", "unchecked" or None (not on the page)."""
    found = re.search(rf'<input class="govuk-checkboxes__input" id="{re.escape(name)}" name="{re.escape(name)}" '
                      rf'type="checkbox" value="yes"( checked)?>', html)
    return None if found is None else ("checked" if found.group(1) else "unchecked")


def _label_for(html: str, name: str) -> str:
    found = re.search(rf'<label class="govuk-label govuk-checkboxes__label" for="{re.escape(name)}">(.*?)</label>',
                      html, re.S)
    assert found, name
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


@pytest.fixture
def started(app, users, author) -> int:
    """A new Welsh-template assessment, as the author starts one."""
    _wales(app)
    with app.app_context():
        version = db.session.execute(select(Template).where(Template.slug == WALES)).scalar_one().versions[0].id
    response = author.post("/assessments/new", data={"name": "Closing Llanfair library", "template": str(version)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


PROPOSAL_LABEL = "What is the proposal, and what is it for?"

PAGES = {
    # kind: (page, the box, what typed there gives it an answer, where the mark is stored)
    "evidence": ("sections/equality/evidence", "items-0-confidential", {"items-0-title": SECRET["evidence"]},
                 "evidence:equality"),
    "activity": ("engagement", "activities-0-confidential", {"activities-0-activity": SECRET["activity"]},
                 "engagement"),
    "question": ("sections/ways_of_working/questions", "confidential-long_term", {"q-long_term": SECRET["question"]},
                 "questions:ways_of_working"),
    "paragraph": ("community-impact", "confidential_risk", {"risk": SECRET["paragraph"]}, "community_impact"),
}


def _mark(stored: dict, kind: str):
    if kind == "evidence":
        return [i["confidential"] for i in stored["evidence"]["items"]]
    if kind == "activity":
        return [a["confidential"] for a in stored["activities"]]
    return stored["confidential"]


MARKED = {"evidence": [True], "activity": [True], "question": {"long_term": True}, "paragraph": {"risk": True}}
UNMARKED = {"evidence": [False], "activity": [False], "question": {}, "paragraph": {}}


@pytest.mark.parametrize("kind", list(PAGES))
def test_the_author_marks_and_unmarks_each_kind_of_answer_on_its_page(app, author, started, kind):
    page, box, typed, part = PAGES[kind]
    url = f"/assessments/{started}/{page}"
    if kind in ("evidence", "activity"):  # an item to mark: the page's "Add" button
        list_name = box.split("-")[0]
        html = author.get(url).get_data(as_text=True)
        if _box(html, box) is None:
            html = post_page(author, url, action=f"add:{list_name}", fields=page_fields(html)).get_data(as_text=True)
    else:
        html = author.get(url).get_data(as_text=True)
    assert _box(html, box) == "unchecked"
    assert _label_for(html, box).startswith(LABEL) and forms.CONFIDENTIAL_LABEL == LABEL
    response = post_page(author, url, {**typed, box: "yes"}, submit="later", fields=page_fields(html))
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    with app.app_context():
        assert _mark(stored_part(started, part), kind) == MARKED[kind]
    shown = author.get(url).get_data(as_text=True)
    assert _box(shown, box) == "checked"
    assert next(iter(typed.values())) in unescape(shown)
    # Unticked: a browser sends nothing for the box, and what was typed stays
    assert post_page(author, url, submit="later", drop=(box,)).status_code == 302
    with app.app_context():
        stored = stored_part(started, part)
    assert _mark(stored, kind) == UNMARKED[kind]
    assert next(iter(typed.values())) in json.dumps(stored, ensure_ascii=False)


def test_only_questions_off_the_cover_that_no_condition_tests_can_be_marked(author, started):
    about = author.get(f"/assessments/{started}/sections/about/questions").get_data(as_text=True)
    assert _box(about, "confidential-proposal_summary") == "unchecked"
    assert _label_for(about, "confidential-proposal_summary") == f"{LABEL} (answer to {PROPOSAL_LABEL})"
    # "Is this a strategic decision?" decides whether a section is asked: withholding it would change
    # what the public version shows, or give the answer away.
    assert _box(about, "confidential-strategic_decision") is None


def test_a_forged_box_for_a_question_that_cannot_be_marked_marks_nothing(app, author, started):
    url = f"/assessments/{started}/sections/about/questions"
    response = post_page(author, url, {"confidential-strategic_decision": "yes", "confidential-nothing": "yes",
                                       "q-strategic_decision": "no"}, submit="later")
    assert response.status_code == 302
    with app.app_context():
        stored = stored_part(started, "questions:about")
    assert stored["confidential"] == {} and stored["answers"]["strategic_decision"] == "no"


def test_two_people_marking_different_questions_both_keep_their_marks(app, author, started):
    give_edit_access(author, started, "other@example.gov.uk")
    other = signed_in(app, "other@example.gov.uk")
    url = f"/assessments/{started}/sections/ways_of_working/questions"
    mine, theirs = page_fields(author.get(url).get_data(as_text=True)), page_fields(other.get(url).get_data(as_text=True))
    assert post_page(author, url, {"q-long_term": SECRET["question"], "confidential-long_term": "yes"},
                     fields=mine, submit="later").status_code == 302
    response = post_page(other, url, {"q-prevention": "Early help at the hub", "confidential-prevention": "yes"},
                         fields=theirs, submit="later")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        stored = stored_part(started, "questions:ways_of_working")
    assert stored["confidential"] == {"long_term": True, "prevention": True}
    assert stored["answers"]["long_term"] == SECRET["question"]
    assert stored["answers"]["prevention"] == "Early help at the hub"


def test_comparing_versions_names_the_mark(app, author, started):
    """The history names a mark as people read it ("... : Long term: marked as confidential")."""
    url = f"/assessments/{started}/sections/ways_of_working/questions"
    post_page(author, url, {"q-long_term": SECRET["question"]}, submit="later")
    post_page(author, url, {"confidential-long_term": "yes"}, submit="later")
    history = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ",
                                                  author.get(f"/assessments/{started}/history").get_data(as_text=True))))
    assert re.search(r"The five ways of working: questions: [^:]*: marked as confidential", history), history[:3000]
