"""Bad input to every form of the template designer: generated data never gives a 500; a refusal
explains itself in the error summary and changes nothing that was saved; and what is accepted is
saved exactly as it was typed (after the usual clean-up), never in part.

The forms: name and texts, header fields, columns, both guidance lists, the two scales, the
checker's rules, a section with its category areas, a new section, the order of the sections,
removing a section, a new version, publish, retire, delete, importing and uploading YAML, and
moving an assessment to a newer version.
"""

from __future__ import annotations

import copy
import io
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from cia import richtext, templateformat
from cia.data import templates
from cia.designer.common import lines
from cia.extensions import db
from cia.models import AuditEvent, Revision, Template, TemplateVersion
from tests.conftest import make_app
from tests.helpers import page_fields, signed_in, start_assessment
from tests.integration.bad_input_support import (
    FORGED,
    HOSTILE,
    ODD_INDICES,
    ODD_NUMBERS,
    TEXT,
    assert_explained,
    assert_forgery_refused,
    assert_never_broken,
    examples,
    hostile_page_post,
    pick,
    post_urls,
)
from tests.integration.designer_support import ADMIN, AUTHOR, in_app, new_draft, seeded_version_id
from tests.workflow_helpers import signed_in_client


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


def designer_state(app) -> dict:
    """Everything a designer form can change: templates, versions and their content, which version
    each revision uses, and the audit trail (less "access.refused", which a refusal adds on purpose)."""
    with in_app(app):
        db.session.expire_all()
        versions = db.session.execute(select(TemplateVersion).order_by(TemplateVersion.id)).scalars().all()
        return {
            "templates": db.session.execute(select(Template.id, Template.name).order_by(Template.id)).all(),
            "versions": [(v.id, v.template_id, v.number, v.status, templates.spec_for_version(v.id).to_dict())
                         for v in versions],
            "revisions": db.session.execute(select(Revision.id, Revision.template_version_id, Revision.number)
                                            .order_by(Revision.id)).all(),
            "audit": db.session.execute(select(func.count()).select_from(AuditEvent)
                                        .where(AuditEvent.action != "access.refused")).scalar_one(),
        }


def draft_spec(app, version_id: int):
    with in_app(app):
        db.session.expire_all()
        return templates.spec_for_version(version_id).copy()


def spec_hash(app, version_id: int) -> str:
    return templateformat.spec_hash(draft_spec(app, version_id))


def the_draft(app) -> int | None:
    with in_app(app):
        return db.session.execute(select(TemplateVersion.id).where(TemplateVersion.status == "draft")
                                  .order_by(TemplateVersion.id)).scalars().first()


def a_draft(app, admin) -> int:
    """The seeded template's draft, made again if a previous example published or deleted it."""
    return the_draft(app) or new_draft(admin, app)


def fresh_draft(app, admin) -> int:
    """A new draft copied from version 1, so that every example starts from the same content."""
    if (existing := the_draft(app)) is not None:
        assert admin.post(f"/templates/versions/{existing}/delete").status_code == 302
    return new_draft(admin, app)


def refused_and_unchanged(app, response, before: dict) -> list[str]:
    found = assert_explained(response)
    assert designer_state(app) == before, "a refused request changed saved data"
    return found


# --- the edit pages -------------------------------------------------------------------------------

#: How each field is cleaned on the way in, by its last name part (areas-2-title -> title).
SHORT = {"name", "organisation", "evidence_base_label", "heading", "title", "prompts_label", "mandatory_engagement",
         "label"}
LONG = {"sections_intro", "evidence_base_guidance", "evidence_base_examples", "closing_instruction", "guidance",
        "columns_intro", "text", "intro", "row_label_header", "question", "description"}
LINES = {"prompts", "legislation"}
#: Radios: what an empty answer means.
CHOICES = {"optional": "no", "enabled": "yes", "severity": "default", "allow_custom_rows": ""}
LISTS = ("headers", "columns", "bullets", "likelihood", "impact", "rules", "areas")


def shown_after_save(name: str, typed: str | None) -> str | None:
    """What the page shows for a field after a save of `typed` (None: not sent), or None if not checked."""
    last = name.rsplit("-", 1)[-1]
    value = typed or ""
    if last in SHORT:
        return richtext.clean_line(value)
    if last in LONG:
        return richtext.clean(value)
    if last in LINES:
        return "\n".join(lines(richtext.clean(value)))
    if last in CHOICES:
        return value.strip() or CHOICES[last]
    return None  # keys, fingerprints and buttons


def list_indices(names, list_name: str) -> set[str]:
    return {m.group(1) for n in names if (m := re.match(rf"{list_name}-([^-]*)-", n))}


def assert_saved_as_typed(before_fields: dict[str, str], post, after_fields: dict[str, str]) -> None:
    """Every field of the page shows what was typed into it (cleaned); a list whose items were left
    out or added is compared item by item only when its positions did not change."""
    moved = {name for name in LISTS if list_indices(post.names(), name) != list_indices(before_fields, name)}
    wrong = {}
    for name in before_fields:
        if re.match(rf"({'|'.join(moved)})-", name) if moved else False:
            continue
        if name == "staff_row_key":
            typed = post.first(name) or ""
            areas = {v for k, v in after_fields.items() if re.fullmatch(r"areas-\d+-key", k)}
            expected = typed if typed in areas else ""
        else:
            expected = shown_after_save(name, post.first(name))
        if expected is not None and after_fields.get(name, "") != expected:
            wrong[name] = (expected[:80], after_fields.get(name, "")[:80])
    assert not wrong, f"saved, but not as typed (typed, shown): {wrong}"


EDIT_PAGES = ["details", "header-fields", "columns", "guidance/completing", "guidance/please-note", "scales", "rules",
              "sections/economy"]


@pytest.mark.parametrize("page", EDIT_PAGES)
@examples(12)
@given(data=st.data())
def test_an_edit_page_saves_what_was_typed_or_refuses_with_a_message(app, admin, page, data):
    draft = fresh_draft(app, admin)
    url = f"/templates/versions/{draft}/{page}"
    html = admin.get(url).get_data(as_text=True)
    fields = page_fields(html)
    post, buttons, pressed = hostile_page_post(data, html, fields, LISTS)
    if not post.typed and data.draw(st.integers(0, 7), label="stale") == 0:
        post.pairs = [(k, "stale" if k == "spec_hash" else v) for k, v in post.pairs]
    before = designer_state(app)
    response = admin.post(url, data=post.body())
    assert_never_broken(response, (200, 302, 409))
    if response.status_code == 302:
        assert response.headers["Location"].endswith((f"/templates/versions/{draft}",
                                                      f"/templates/versions/{draft}/sections"))
        assert not pressed
        assert_saved_as_typed(fields, post, page_fields(admin.get(url).get_data(as_text=True)))
        return
    assert designer_state(app) == before, "a page shown again changed saved data"
    if response.status_code == 409 or not pressed or pressed not in buttons:
        assert_explained(response)


def test_odd_item_positions_and_version_numbers_never_break_a_page(app, admin):
    """Every edit page with items at positions no page sends, and a new version from odd numbers
    (the generated tests may not draw each of them)."""
    draft = new_draft(admin, app)
    before = designer_state(app)
    for page in EDIT_PAGES:
        url = f"/templates/versions/{draft}/{page}"
        for index in ODD_INDICES:
            fields = page_fields(admin.get(url).get_data(as_text=True))  # again: "99999" adds an item
            lists = {n.split("-", 1)[0] for n in fields if re.match(r"[a-z_]+-\d+-", n)} or {"x"}
            extra = {f"{name}-{index}-{sub}": "Odd" for name in lists for sub in ("title", "label", "text", "key")}
            response = admin.post(url, data={**fields, **extra})
            assert response.status_code in (200, 302), (page, index, response.status_code)
            if response.status_code == 200:
                assert_explained(response)
    assert [v for v in designer_state(app)["versions"] if v[0] != draft] == [
        v for v in before["versions"] if v[0] != draft]
    assert admin.post(f"/templates/versions/{draft}/delete").status_code == 302
    for number in ODD_NUMBERS:
        response = admin.post(f"/templates/{template_id(app)}/versions", data={"from_version": number})
        assert response.status_code == 302, (number, response.status_code)
        assert admin.post(response.headers["Location"] + "/delete").status_code == 302


@examples(12)
@given(title=HOSTILE, stale=st.booleans(), extra=st.dictionaries(st.text(max_size=10), HOSTILE, max_size=2))
def test_a_new_section_is_added_as_typed_or_refused_with_a_message(app, admin, title, stale, extra):
    draft = fresh_draft(app, admin)
    url = f"/templates/versions/{draft}/sections/new"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    before = designer_state(app)
    sections_before = [s.key for s in draft_spec(app, draft).sections]
    response = admin.post(url, data={**extra, **fields, "title": title, "spec_hash": "x" if stale else fields["spec_hash"]})
    assert_never_broken(response, (200, 302, 409))
    if response.status_code == 302:
        spec = draft_spec(app, draft)
        added = spec.sections[-1]
        assert [s.key for s in spec.sections] == [*sections_before, added.key]
        assert added.title == richtext.clean_line(title)
        assert response.headers["Location"].endswith(f"/sections/{added.key}")
    else:
        refused_and_unchanged(app, response, before)


# --- the buttons: order of sections, remove a section, new version, publish, retire, delete -------------


@examples(12)
@given(data=st.data())
def test_moving_a_section_moves_it_or_refuses_with_a_message(app, admin, data):
    draft = fresh_draft(app, admin)
    keys = [s.key for s in draft_spec(app, draft).sections]
    action = data.draw(st.one_of(st.builds(lambda v, k: f"{v}:{k}", st.sampled_from(["up", "down"]), st.sampled_from(keys)),
                                 HOSTILE), label="action")
    fingerprint = data.draw(st.one_of(st.just(spec_hash(app, draft)), HOSTILE), label="spec_hash")
    extra = data.draw(st.lists(st.tuples(st.sampled_from(["action", "spec_hash", "junk"]), HOSTILE), max_size=2))
    before = designer_state(app)
    response = admin.post(f"/templates/versions/{draft}/sections",
                          data=MultiDict([("spec_hash", fingerprint), ("action", action), *extra]))
    assert_never_broken(response, (302, 400, 409))
    if response.status_code != 302:
        refused_and_unchanged(app, response, before)
        return
    verb, _, key = action.partition(":")
    i = keys.index(key)
    j = i - 1 if verb == "up" else i + 1
    expected = list(keys)
    if 0 <= j < len(keys):
        expected[i], expected[j] = expected[j], expected[i]
    assert [s.key for s in draft_spec(app, draft).sections] == expected


@examples(10)
@given(data=st.data())
def test_removing_a_section_removes_it_or_refuses_with_a_message(app, admin, data):
    draft = fresh_draft(app, admin)
    keys = [s.key for s in draft_spec(app, draft).sections]
    key = pick(data, keys, "section")
    fingerprint = data.draw(st.one_of(st.just(spec_hash(app, draft)), HOSTILE), label="spec_hash")
    extra = data.draw(st.dictionaries(st.text(max_size=10), HOSTILE, max_size=2))
    before = designer_state(app)
    response = admin.post(f"/templates/versions/{draft}/sections/{key}/remove",
                          data={**extra, "spec_hash": fingerprint})
    assert_never_broken(response, (302, 409))
    if response.status_code == 302:
        assert [s.key for s in draft_spec(app, draft).sections] == [k for k in keys if k != key]
    else:
        refused_and_unchanged(app, response, before)


def template_id(app) -> int:
    with in_app(app):
        return db.session.get(TemplateVersion, seeded_version_id(app)).template_id


@examples(10)
@given(data=st.data())
def test_a_new_version_copies_what_was_asked_or_refuses_with_a_message(app, admin, data):
    tid = template_id(app)
    if data.draw(st.booleans(), label="a draft exists"):
        a_draft(app, admin)
    elif (existing := the_draft(app)) is not None:
        assert admin.post(f"/templates/versions/{existing}/delete").status_code == 302
    with in_app(app):
        ids = db.session.execute(select(TemplateVersion.id).order_by(TemplateVersion.id)).scalars().all()
    source = data.draw(st.one_of(st.integers(0, 999).map(lambda i: str(ids[i % len(ids)])), HOSTILE),
                       label="from_version")
    extra = data.draw(st.dictionaries(st.text(max_size=10), HOSTILE, max_size=2))
    before = designer_state(app)
    response = admin.post(f"/templates/{tid}/versions", data={**extra, "from_version": source})
    assert_never_broken(response, (302, 409))
    if response.status_code != 302:
        refused_and_unchanged(app, response, before)
        return
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with in_app(app):
        published = [v for v in before["versions"] if v[1] == tid and v[3] == "published"]
        asked = next((v for v in before["versions"] if str(v[0]) == source and v[1] == tid), None)
        copied = asked or max(published, key=lambda v: v[2])
    made = draft_spec(app, new_id).to_dict()
    assert {**made, "version": None} == {**copied[4], "version": None}, "the new draft is not a copy of what was asked"


@examples(8)
@given(data=st.data())
def test_publish_retire_and_delete_do_what_was_asked_or_refuse_with_a_message(app, admin, data):
    version = a_draft(app, admin)
    button = data.draw(st.sampled_from(["publish", "delete", "retire"]), label="button")
    if button == "retire":
        version = seeded_version_id(app) if data.draw(st.booleans()) else version
    fingerprint = data.draw(st.one_of(st.just(spec_hash(app, version)), HOSTILE), label="spec_hash")
    extra = data.draw(st.dictionaries(st.text(max_size=10), HOSTILE, max_size=2))
    before = designer_state(app)
    status_before = next(v[3] for v in before["versions"] if v[0] == version)
    response = admin.post(f"/templates/versions/{version}/{button}", data={**extra, "spec_hash": fingerprint})
    assert_never_broken(response, (200, 302, 400, 409))
    after = designer_state(app)
    if response.status_code == 302:
        statuses = {v[0]: v[3] for v in after["versions"]}
        assert statuses.get(version) == {"publish": "published", "retire": "retired", "delete": None}[button]
        assert [v for v in after["versions"] if v[0] != version] == [v for v in before["versions"] if v[0] != version]
        if button == "publish":
            assert next(v[4] for v in after["versions"] if v[0] == version) == next(
                v[4] for v in before["versions"] if v[0] == version), "published something other than the draft"
        return
    assert after == before, "a refused request changed saved data"
    if button == "retire" and status_before != "published":
        assert "cannot be changed" in response.get_data(as_text=True)  # not a version that can be retired
    else:
        assert_explained(response)


# --- YAML: import a template, replace a draft --------------------------------------------------------


def _mutations(base: dict, odd):
    """A template file: the seeded template with one value anywhere replaced by one of `odd`."""
    paths: list[tuple] = []

    def walk(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node[:3]):
                walk(v, (*path, i))

    walk(base, ())

    return st.builds(lambda path, value: _put(base, path, value), st.sampled_from(paths[1:]), odd)


def _put(base: dict, path: tuple, value):
    """A copy of `base` with the value at `path` replaced."""
    data = copy.deepcopy(base)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


def _yaml(value) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


ODD_YAML = st.one_of(HOSTILE, st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(),
                     st.lists(HOSTILE, max_size=3), st.dictionaries(st.text(max_size=8), HOSTILE, max_size=2))
#: Control characters: a YAML escape ("\0", "\e") puts them in any text of a file.
CONTROLS = ["a\x00b", "\x1b[31mred", "\x07", "tab\tand\nnew line are fine"]

ALIASES = [
    b"name: &a [*a]\nsections: []\n",
    b"&a {name: x, sections: *a}\n",
    b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nname: x\nsections: *h\n",
    b'name: "a\\0b"\nsections: []\n', b"\xff\xfe\x00n\x00a", b"name: !!python/object:os.system x\n", b"",
    b"- 1\n- 2\n", b"name: x\nname: y\nsections: []\n", b"x" * (1024 * 1024 + 1),
]


@pytest.fixture
def seeded_yaml(app) -> dict:
    with in_app(app):
        return yaml.safe_load(templateformat.dump(templates.spec_for_version(seeded_version_id(app))))


@pytest.mark.parametrize("where", ["import", "upload"])
@examples(20)
@given(data=st.data())
def test_a_yaml_file_is_taken_whole_or_refused_with_a_message(app, admin, seeded_yaml, where, data):
    content = data.draw(st.one_of(_mutations(seeded_yaml, ODD_YAML).map(_yaml), _mutations(seeded_yaml, TEXT).map(_yaml),
                                  _mutations(seeded_yaml, st.sampled_from(CONTROLS)).map(_yaml),
                                  st.sampled_from(ALIASES), st.binary(max_size=200),
                                  st.text(max_size=200).map(lambda t: t.encode("utf-8"))), label="file")
    filename = data.draw(st.one_of(st.just("template.yaml"), HOSTILE.filter(lambda t: len(t) < 300)), label="filename")
    fields = {"publish": data.draw(st.one_of(st.sampled_from(["no", "yes"]), HOSTILE), label="publish")}
    if where == "upload":
        version = a_draft(app, admin)
        url = f"/templates/versions/{version}/upload"
        fields = {"spec_hash": data.draw(st.one_of(st.just(spec_hash(app, version)), HOSTILE), label="spec_hash")}
    else:
        url = "/templates/import"
        if (existing := the_draft(app)) is not None and data.draw(st.booleans(), label="no draft"):
            assert admin.post(f"/templates/versions/{existing}/delete").status_code == 302
    before = designer_state(app)
    response = admin.post(url, data={**fields, "file": (io.BytesIO(content), filename)},
                          content_type="multipart/form-data")
    assert_never_broken(response, (302, 400, 413))
    if response.status_code != 302:
        if response.status_code == 413:
            assert designer_state(app) == before
            assert "too large" in response.get_data(as_text=True)
        else:
            refused_and_unchanged(app, response, before)
        return
    expected = templateformat.load(content).to_dict()
    version_id = int(response.headers["Location"].rsplit("/", 1)[1])
    stored = draft_spec(app, version_id).to_dict()
    assert {**stored, "version": None} == {**expected, "version": None}, "the file was not taken whole"
    with in_app(app):
        status = db.session.get(TemplateVersion, version_id).status
    assert status == ("published" if where == "import" and fields.get("publish") == "yes" else "draft")


@pytest.mark.parametrize("where", ["import", "upload"])
@pytest.mark.parametrize("path", [("name",), ("sections", 1, "title"), ("please_note", 0, "text")])
def test_a_yaml_file_with_a_nul_is_refused_with_a_message(app, admin, seeded_yaml, where, path):
    """PostgreSQL cannot store a NUL: the file is refused, not a 500 (the generated test may not draw one)."""
    content = _yaml(_put(seeded_yaml, path, "a\x00b"))
    url = f"/templates/versions/{new_draft(admin, app)}/upload" if where == "upload" else "/templates/import"
    before = designer_state(app)
    response = admin.post(url, data={"file": (io.BytesIO(content), "nul.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "has a control character" in refused_and_unchanged(app, response, before)[0]


# --- moving an assessment to the newest version of its template --------------------------------------


@pytest.fixture
def on_old_version(app, admin):
    """Four assessments on version 1, then version 2 published: each can be moved once."""
    author = signed_in(app, AUTHOR)
    ids = [start_assessment(author, f"Move me {n}") for n in range(4)]
    newer = new_draft(admin, app)
    assert admin.post(f"/templates/versions/{newer}/publish",
                      data={"spec_hash": spec_hash(app, newer)}).status_code == 302
    return author, ids, newer


@examples(6)
@given(data=st.data())
def test_moving_an_assessment_moves_it_whole_or_refuses_with_a_message(app, on_old_version, data):
    author, ids, newer = on_old_version
    aid = data.draw(st.sampled_from(ids), label="assessment")
    extra = data.draw(st.dictionaries(st.text(max_size=10), HOSTILE, max_size=3), label="fields")
    before = designer_state(app)
    with in_app(app):
        revision_before = db.session.execute(select(Revision).where(Revision.assessment_id == aid)).scalar_one()
        on_before = revision_before.template_version_id
    response = author.post(f"/templates/move/{aid}", data=extra)
    assert_never_broken(response, (302, 409))
    with in_app(app):
        db.session.expire_all()
        on_after = db.session.execute(select(Revision.template_version_id).where(Revision.assessment_id == aid)).scalar_one()
    if response.status_code == 302:
        assert on_before != newer and on_after == newer
        assert response.headers["Location"].endswith(f"/templates/move/{aid}/done")
    else:
        assert on_before == newer, "refused to move an assessment that could move"
        refused_and_unchanged(app, response, before)


# --- forged and garbled requests -----------------------------------------------------------------------


def test_every_designer_form_refuses_a_forged_or_garbled_request(app, admin):
    """With the CSRF check on (the tests otherwise turn it off): 400 and the CSRF page, nothing changed."""
    draft = new_draft(admin, app)
    author = signed_in(app, AUTHOR)
    aid = start_assessment(author, "Forged")
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    urls = post_urls(csrf_app, "designer", {"version_id": draft, "template_id": template_id(app), "key": "economy",
                                            "target": "section", "which": "completing", "assessment_id": aid,
                                            "question_key": "question", "kind": "short_text", "area": "economic_growth"})
    assert len(urls) >= 15, urls
    before = designer_state(app)
    client = signed_in_client(csrf_app, ADMIN)
    for url in urls:
        for request in FORGED:
            response = client.post(url, **request)
            assert_forgery_refused(response)
    assert designer_state(app) == before


# --- the messages themselves -----------------------------------------------------------------------------


def test_a_length_message_may_contain_a_percent_sign(app):
    """WTForms formats Length messages with "%": a label such as "Share %" must not break them."""
    from wtforms import Form

    from cia.designer import forms

    class Probe(Form):
        share = forms.short("Share %", limit=3)
        notes = forms.long("Notes (100%)")

    probe = Probe(MultiDict({"share": "abcd", "notes": "x" * (templateformat.TEXT_MAX + 1)}))
    assert not probe.validate()
    assert probe.share.errors == ["Share % must be 3 characters or fewer"]
    assert probe.notes.errors == [f"Notes (100%) must be {templateformat.TEXT_MAX:,} characters or fewer"]
