"""The one edit flow (cia/web/edit_flow.py) on its own, through HTTP: a page kept in memory, with the
sequence every authoring and designer page runs. The page tests show each real page; these show the
steps of the engine that the pages reach only with hand-made posts (a stale version, a refusal as a
whole, a refusal answered by another page, buttons at the ends of a list) and what each step keeps.

The page's template prints what the flow gave it, as JSON.
"""

from __future__ import annotations

import json

import pytest
from flask import redirect
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import func, select
from wtforms import FieldList, Form, FormField, HiddenField, StringField
from wtforms.validators import InputRequired

from cia.data import audit
from cia.extensions import db
from cia.models import AuditEvent
from cia.web import transaction
from cia.web.edit_flow import EditFlow, Refused, Stale
from cia.web.editing import ButtonWords, ListRule
from tests.conftest import make_app

URL = "/test/edit-flow"
PAGE = """{{ {"version": form.version.data, "title": form.title.data, "items": form["items"].data | map(attribute="text")
| list, "errors": form.errors, "focus": focus | default(""), "problem": action_problem | default(""),
"conflict": conflict | default(None), "restored": restored | default(False)} | tojson }}"""


class _Item(Form):
    text = StringField()


class _PageForm(Form):
    version = HiddenField()
    title = StringField(validators=[InputRequired("Enter a title")])
    items = FieldList(FormField(_Item))


class _Memory(EditFlow):
    """A page whose data is a dict: `store` is what is saved, `sent` what ran after a commit."""

    words = ButtonWords(unrecognised="That button is not recognised: try again")

    def __init__(self, store: dict, sent: list[str]):
        lists = {"items": ListRule(lambda: {"text": ""}, 4, "items", movable=True)}
        super().__init__(_PageForm, "test/edit_flow.html", {"title": "Memory"}, lists=lists)
        self.store, self.sent = store, sent

    def load(self):
        return {"title": self.store["title"], "items": [{"text": t} for t in self.store["items"]]}, self.store["version"]

    def save(self, posted):
        audit.record("test.edit_flow_saved")  # written before any refusal: it must not be kept then
        transaction.after_commit(lambda: self.sent.append(posted.values["title"]))
        if posted.version != str(self.store["version"]):
            raise Stale(dict(self.store), self.store["version"])
        if posted.values["title"] == "Refuse":
            raise Refused([("items-1-text", "Not with the first"), ("items-9-text", "No such field")],
                          message="Not as a whole")
        if posted.values["title"] == "Elsewhere":
            raise Refused(respond=lambda: ("Shown instead", 418))
        self.store.update(title=posted.values["title"], items=[i["text"] for i in posted.values["items"]],
                          version=self.store["version"] + 1)
        return redirect("/test/saved")

    def conflict(self, posted, stale):
        return {"conflict": {"saved_title": stale.current["title"]}}


def _app_with_page(items: list[str]):
    """A client of an application with the memory page, its store, what ran after each commit, the app."""
    store = {"title": "First", "items": items, "version": 1}
    sent: list[str] = []
    flow_app = make_app()
    flow_app.jinja_loader = ChoiceLoader([DictLoader({"test/edit_flow.html": PAGE}), flow_app.jinja_loader])
    flow_app.add_url_rule(URL, "edit_flow", lambda: _Memory(store, sent).respond(), methods=["GET", "POST"])
    return flow_app.test_client(), store, sent, flow_app


@pytest.fixture
def page(app):  # the shared app is asked for because it migrates and empties the database
    return _app_with_page(["a", "b", "c"])


def _post(client, version="1", title="First", items=("a", "b", "c"), **extra):
    data = {"version": version, "title": title, **{f"items-{i}-text": t for i, t in enumerate(items)}, **extra}
    response = client.post(URL, data=data)
    shown = json.loads(response.get_data(as_text=True)) if response.status_code in (200, 409) else None
    return response, shown


def _saves(flow_app) -> int:
    with flow_app.app_context():
        return db.session.execute(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "test.edit_flow_saved")).scalar_one()


def test_get_shows_the_stored_data_at_its_version(page):
    client, _store, _sent, _ = page
    shown = json.loads(client.get(URL).get_data(as_text=True))
    assert (shown["version"], shown["title"], shown["items"]) == ("1", "First", ["a", "b", "c"])


@pytest.mark.parametrize(("action", "items", "focus"), [
    ("up:items-1", ["b", "a", "c"], "items-0"),
    ("down:items-2", ["a", "b", "c"], "items-2"),  # already last
    ("up:items-0", ["a", "b", "c"], "items-0"),    # already first
    ("add:items", ["a", "b", "c", ""], "items-3-text"),
    ("remove:items-0", ["b", "c"], "items"),
])
def test_a_button_shows_the_page_again_changed_and_saves_nothing(page, action, items, focus):
    client, store, sent, flow_app = page
    response, shown = _post(client, items=("a", "b", "c"), action=action, title="Typed")
    assert response.status_code == 200
    assert (shown["items"], shown["focus"], shown["problem"]) == (items, focus, "")
    assert (shown["title"], shown["version"]) == ("Typed", "1")  # everything typed is kept
    assert store["items"] == ["a", "b", "c"] and _saves(flow_app) == 0 and not sent


@pytest.mark.parametrize(("action", "problem"), [
    ("sideways:items-0", "That button is not recognised: try again"),  # the page's own wording
    ("add:items-0-text", "That list cannot be added to"),
    ("remove:items-5", "That item has already been removed"),
])
def test_a_button_the_page_cannot_act_on_says_why_and_focuses_the_summary(page, action, problem):
    client, store, _sent, flow_app = page
    response, shown = _post(client, action=action)
    assert response.status_code == 200
    assert (shown["problem"], shown["focus"], shown["items"]) == (problem, "", ["a", "b", "c"])
    assert _saves(flow_app) == 0


@pytest.mark.usefixtures("app")
def test_a_button_at_the_limit_is_refused():
    client, _store, _sent, _ = _app_with_page(["1", "2", "3", "4"])
    response, shown = _post(client, items=("1", "2", "3", "4"), action="add:items")
    assert shown["problem"] == "You can add up to 4 items" and shown["items"] == ["1", "2", "3", "4"]


def test_invalid_input_is_shown_again_as_typed_and_nothing_is_saved(page):
    client, store, _sent, flow_app = page
    response, shown = _post(client, title="", items=("x",))
    assert response.status_code == 200
    assert shown["errors"] == {"title": ["Enter a title"]} and shown["items"] == ["x"]
    assert _saves(flow_app) == 0 and store["title"] == "First"


def test_a_save_commits_and_then_runs_what_follows_the_commit(page):
    client, store, sent, flow_app = page
    response, _ = _post(client, title="Second", items=("a", "b"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/test/saved")
    assert (store["title"], store["items"], store["version"]) == ("Second", ["a", "b"], 2)
    assert _saves(flow_app) == 1 and sent == ["Second"]


def test_a_stale_version_gets_the_conflict_page_with_what_was_typed_and_the_stored_version(page):
    client, store, sent, flow_app = page
    store.update(title="Saved by someone else", version=5)
    response, shown = _post(client, version="1", title="Mine", items=("m",))
    assert response.status_code == 409
    assert shown["conflict"] == {"saved_title": "Saved by someone else"}
    assert (shown["title"], shown["items"]) == ("Mine", ["m"])
    assert shown["version"] == "5", "saving again keeps the typed version, over the stored one"
    assert _saves(flow_app) == 0 and not sent, "the refused save's writes and e-mails were dropped"

    response, _ = _post(client, version=shown["version"], title="Mine", items=("m",))
    assert response.status_code == 302 and store["title"] == "Mine" and store["version"] == 6


def test_a_refusal_as_a_whole_puts_its_messages_on_the_fields_and_keeps_nothing(page):
    client, store, sent, flow_app = page
    response, shown = _post(client, title="Refuse", items=("a", "b"))
    assert response.status_code == 200
    assert shown["problem"] == "Not as a whole"
    assert shown["errors"] == {"items": [{}, {"text": ["Not with the first"]}]}  # the unknown id is dropped
    assert (shown["title"], shown["items"], shown["version"]) == ("Refuse", ["a", "b"], "1")
    assert _saves(flow_app) == 0 and not sent and store["title"] == "First"


def test_a_refusal_may_answer_with_another_page_made_after_the_rollback(page):
    client, _store, sent, flow_app = page
    response, _ = _post(client, title="Elsewhere")
    assert (response.status_code, response.get_data(as_text=True)) == (418, "Shown instead")
    assert _saves(flow_app) == 0 and not sent
