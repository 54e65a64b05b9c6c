"""A section's questions in the template designer: the list (reorder, remove), and one question's
settings, reached by first choosing its kind.

Everything a settings page asks comes from the question's kind (cia/kinds): its options or scale
(`Kind.needs`), its sub-questions and the kinds they may have (`sub_kinds`), what it calls them
(`option_words`, `sub_question_words`), and any setting of its own (`extra_settings`,
`sub_question_settings`). A new kind gets its settings page from what it declares, with no change
here (docs/decisions/0028-question-settings-from-kinds.md).

A question's key is made from its text when it is first saved, unique in the template, and never
changes: answers are stored under it. Its options' keys are made and kept the same way. The kind
of a saved question does not change either (its answers are of that kind).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from cia import templateformat
from cia.data import designer, question_answers
from cia.designer import bp, forms
from cia.designer.common import (
    EditPage,
    FieldProblem,
    edit,
    frozen,
    keyed,
    movable_list,
    save_simple,
    version_or_404,
)
from cia.designer.condition_words import describe
from cia.designer.forms_questions import MAX_OPTIONS, MAX_QUESTIONS, KindForm, QuestionForm
from cia.domain import STANDARD_PAGES, Condition, Question, ScaleOption, SectionSpec, TemplateSpec
from cia.kinds.base import Kind, all_kinds, kind_of
from cia.templateformat import MAX_ITEM_QUESTIONS

#: A sub-question's key cannot be "id": an item's own id is stored under it.
_RESERVED_SUB_KEYS = {"id"}


def _section_or_404(spec: TemplateSpec, key: str) -> SectionSpec:
    section = spec.section(key)
    if section is None:
        abort(404)
    return section


def _question_or_404(section: SectionSpec, key: str) -> Question:
    question = next((q for q in section.questions if q.key == key), None)
    if question is None:
        abort(404)
    return question


def _kind_or_404(key: str) -> Kind:
    kind = kind_of(key)
    if kind is None:
        abort(404)
    return kind


def _kind_name(key: str) -> str:
    kind = kind_of(key)
    return kind.name if kind else key


def _words(text: str) -> str:
    return " ".join((text or "").split())


# --- what depends on a question -------------------------------------------------------------------


def dependants(spec: TemplateSpec, version_id: int, key: str) -> list[tuple[str, str]]:
    """What is shown (or ends the assessment) only if question `key` has certain answers: each named
    as a person reads it, with the address of the page that changes its condition."""
    found: list[tuple[str, str, str]] = []  # (words, target, key) for the condition page
    for section in spec.sections:
        title = _words(section.title)
        if section.show_if.question == key:
            found.append((f"the section “{title}”", "section", section.key))
        found += [(f"the question “{_words(q.label)}” in “{title}”", "question", q.key)
                  for q in section.questions if q.show_if.question == key]
        if section.end_if.question == key:
            found.append((f"the end of the assessment after the section “{title}”", "end", section.key))
    found += [(f"the sign-off step “{_words(step.title)}”", "step", step.key)
              for step in spec.signoff_steps if step.show_if.question == key]
    found += [(f"the page “{STANDARD_PAGES.get(page.key, page.key)}”", "page", page.key)
              for page in spec.standard_pages or [] if page.show_if.question == key]
    return [(words, url_for("designer.condition", version_id=version_id, target=target, key=where))
            for words, target, where in found]


def _move_problem(moved: Question, other: Question, verb: str) -> str:
    """Why `moved` cannot swap places with `other`: a condition must look back at an earlier question."""
    first, second = (other, moved) if verb == "up" else (moved, other)
    if second.show_if.question != first.key:
        return ""
    if verb == "up":
        return (f"“{_words(moved.label)}” cannot move above “{_words(other.label)}”: it is shown only if "
                f"“{_words(other.label)}” has certain answers, so it must come after it. Remove or change its "
                "condition first")
    return (f"“{_words(moved.label)}” cannot move below “{_words(other.label)}”: “{_words(other.label)}” is shown "
            f"only if “{_words(moved.label)}” has certain answers, so it must come after it. Remove or change its "
            "condition first")


# --- the list of a section's questions ------------------------------------------------------------


def _list_page(version, spec: TemplateSpec, section: SectionSpec, problem: str = "", status: int = 200):
    rows = [{"question": q, "kind": _kind_name(q.kind), "condition": describe(spec, q.show_if)}
            for q in section.questions]
    return render_template("designer/question_list.html", version=version, spec=spec, section=section, rows=rows,
                           form=forms.ConfirmForm(), spec_hash=templateformat.spec_hash(spec), problem=problem,
                           max_questions=MAX_QUESTIONS, title=f"Questions in “{_words(section.title)}”"), status


@bp.route("/versions/<int:version_id>/sections/<key>/questions", methods=["GET", "POST"])
def questions(version_id: int, key: str):
    """The section's questions in order; "Move up" and "Move down" save straight away."""
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    section = _section_or_404(spec, key)
    if request.method == "GET":
        return _list_page(version, spec, section)
    form = forms.ConfirmForm()
    verb, _, question_key = request.form.get("action", "").partition(":")
    keys = [q.key for q in section.questions]
    if not form.validate() or verb not in ("up", "down") or question_key not in keys:
        return _list_page(version, spec, section, "That button is not recognised: try again", 400)
    i = keys.index(question_key)
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(keys):
        moved, other = section.questions[i], section.questions[j]
        problem = _move_problem(moved, other, verb)
        if problem:
            return _list_page(version, spec, section, problem, 409)
        section.questions[i], section.questions[j] = other, moved
        problem = save_simple(version, spec, f"section {key} questions order", form.spec_hash.data or "") or ""
        if problem:
            spec = designer.spec_of(version)
            return _list_page(version, spec, _section_or_404(spec, key), problem, 409)
        flash(f"“{_words(moved.label)}” has been moved {verb}")
    return redirect(url_for("designer.questions", version_id=version.id, key=key) + f"#question-{question_key}")


# --- adding a question: its kind first -------------------------------------------------------------


@bp.route("/versions/<int:version_id>/sections/<key>/questions/new", methods=["GET", "POST"])
def new_question(version_id: int, key: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    section = _section_or_404(designer.spec_of(version), key)
    form = KindForm()
    form.kind.choices = [SelectChoice(k.key, k.name) for k in all_kinds()]
    problem = ""
    if len(section.questions) >= MAX_QUESTIONS:
        problem = f"A section can have up to {MAX_QUESTIONS} questions: remove one before you add another"
    elif request.method == "POST" and form.validate():
        return redirect(url_for("designer.new_question_settings", version_id=version.id, key=key,
                                kind=form.kind.data))
    return render_template("designer/question_kind.html", version=version, section=section, form=form,
                           kinds=all_kinds(), action_problem=problem,
                           title="What kind of answer do you need to this question?"), (409 if problem else 200)


# --- a question's settings -------------------------------------------------------------------------


def _option_data(options: list[ScaleOption]) -> list[dict[str, str]]:
    return [{"key": o.key, "label": o.label} for o in options]


def _blank_sub(kind: Kind) -> dict[str, Any]:
    return {"key": "", "kind": kind.sub_kinds[0], "label": "", "hint": "", "required": "yes", "scale": "",
            "options": []}


def _to_form(question: Question | None, kind: Kind) -> dict[str, Any]:
    if question is None:  # a new question: one blank option and one blank sub-question, if it has them
        return {"label": "", "hint": "", "required": "yes", "cover": "no", "scale": "", "item_name": "",
                "options": [{"key": "", "label": ""}] if "options" in kind.needs else [],
                "subs": [_blank_sub(kind)] if kind.sub_kinds else []}
    subs = [{"key": s.key, "kind": s.kind, "label": s.label, "hint": s.hint, "required": "yes" if s.required else "no",
             "scale": s.scale, "options": _option_data(s.options)} for s in question.questions]
    return {"label": question.label, "hint": question.hint, "required": "yes" if question.required else "no",
            "cover": "yes" if question.cover else "no", "scale": question.scale, "item_name": question.item_name,
            "options": _option_data(question.options), "subs": subs}


def _options(items: list[dict[str, Any]], saved: list[ScaleOption]) -> list[ScaleOption]:
    """The posted options; a saved option keeps its key (and its description) whatever its new text."""
    keys = keyed(items, {o.key for o in saved}, "label", "answer")
    descriptions = {o.key: o.description for o in saved}
    return [ScaleOption(key=k, label=item.get("label") or "", description=descriptions.get(k, ""))
            for k, item in zip(keys, items, strict=True)]


def _sub_questions(kind: Kind, items: list[dict[str, Any]], saved: list[Question], scales: set[str]
                   ) -> tuple[list[Question], list[tuple[str, str]]]:
    keys = keyed(items, {q.key for q in saved}, "label", "question")
    keys = [templateformat.make_key(k, set(keys) | _RESERVED_SUB_KEYS) if k in _RESERVED_SUB_KEYS else k for k in keys]
    by_key = {q.key: q for q in saved}
    one = kind.sub_question_words[0]
    subs, problems = [], []
    for index, (key, item) in enumerate(zip(keys, items, strict=True)):
        which = f"{one[:1].upper()}{one[1:]} {index + 1}"
        sub_kind = kind_of(item.get("kind") or "")
        if sub_kind is None or sub_kind.key not in kind.sub_kinds:
            problems.append((f"subs-{index}-kind", f"{which}: select one of the kinds of answer listed"))
            continue
        sub = Question(key=key, kind=sub_kind.key, label=item.get("label") or "")
        if "hint" in kind.sub_question_settings:
            sub.hint = item.get("hint") or ""
        if "required" in kind.sub_question_settings:
            sub.required = item.get("required") != "no"
        if "options" in sub_kind.needs:
            saved_options = by_key[key].options if key in by_key else []
            sub.options = _options(item.get("options") or [], saved_options)
            if not sub.options:
                problems.append((f"subs-{index}-options", f"{which}: add the answers to choose from"))
        if "scale" in sub_kind.needs:
            sub.scale = item.get("scale") or ""
            if sub.scale not in scales:
                problems.append((f"subs-{index}-scale", f"{which}: select the scale to rate on"))
        subs.append(sub)
    return subs, problems


def build_question(spec: TemplateSpec, kind: Kind, data: dict[str, Any], saved: Question | None) -> Question:
    """The question the settings page describes: only what the kind asks for is read."""
    if saved is not None:
        key, show_if = saved.key, saved.show_if
    else:
        taken = {q.key for s in spec.sections for q in s.questions}
        key = templateformat.make_key(" ".join((data.get("label") or "").split()[:8]), taken, "question")
        show_if = Condition()
    question = Question(key=key, kind=kind.key, label=data.get("label") or "", hint=data.get("hint") or "",
                        required=data.get("required") != "no", cover=data.get("cover") == "yes", show_if=show_if)
    problems: list[tuple[str, str]] = []
    if "options" in kind.needs:
        question.options = _options(data.get("options") or [], saved.options if saved else [])
        if not question.options:
            problems.append(("options", f"Add the {kind.option_words[1]} to choose from"))
    scales = {s.key for s in spec.scales}
    if "scale" in kind.needs:
        question.scale = data.get("scale") or ""
        if question.scale not in scales:
            problems.append(("scale", "Select the scale authors rate on"))
    if "item_name" in kind.extra_settings:
        question.item_name = " ".join((data.get("item_name") or "").split())
    if kind.sub_kinds:
        question.questions, sub_problems = _sub_questions(kind, data.get("subs") or [], saved.questions if saved else [],
                                                          scales)
        problems += sub_problems
        if not data.get("subs"):
            problems.append(("subs", f"Add at least one {kind.sub_question_words[0]}"))
    if problems:
        raise FieldProblem(problems)
    return question


def _namer(kind: Kind):
    """"Answer 2", "Column 1", "Question 3, answer 2": how a message names the item it is about."""
    def named(words: tuple[str, str], number: int) -> str:
        return f"{words[0][:1].upper()}{words[0][1:]} {number}"

    def namer(path: list[str | int]) -> str:
        if len(path) < 2 or not isinstance(path[1], int):
            return ""
        if path[0] == "options":
            return named(kind.option_words, path[1] + 1)
        if path[0] != "subs":
            return ""
        sub = named(kind.sub_question_words, path[1] + 1)
        if len(path) >= 4 and path[2] == "options" and isinstance(path[3], int):
            return f"{sub}, answer {path[3] + 1}"
        return sub

    return namer


def _settings(version, section: SectionSpec, kind: Kind, saved: Question | None):
    spec = designer.spec_of(version)
    section_key, saved_key = section.key, saved.key if saved else ""

    def to_form(current: TemplateSpec) -> dict[str, Any]:
        return _to_form(saved, kind)

    def apply(draft: TemplateSpec, data: dict[str, Any]) -> TemplateSpec:
        target = draft.section(section_key)
        if target is None:  # removed by someone else meanwhile: the fingerprint check reports it
            return draft
        if not saved_key:
            target.questions.append(build_question(draft, kind, data, None))
            return draft
        for index, question in enumerate(target.questions):
            if question.key == saved_key:
                target.questions[index] = build_question(draft, kind, data, question)
        return draft

    def prepare(form) -> None:
        scales = [SelectChoice("", "Select a scale")] + [SelectChoice(s.key, s.label or s.key) for s in spec.scales]
        form.scale.choices = scales
        for entry in form.subs:
            entry.form.kind.choices = [SelectChoice(k, _kind_name(k)) for k in kind.sub_kinds]
            entry.form.scale.choices = scales

    one, several = kind.option_words
    sub_one, sub_several = kind.sub_question_words
    lists = {"options": movable_list(lambda: {"key": "", "label": ""}, MAX_OPTIONS, f"{several} to a question",
                                     "label")}
    if kind.sub_kinds:
        lists["subs"] = movable_list(lambda: _blank_sub(kind), MAX_ITEM_QUESTIONS, f"{sub_several} to a question",
                                     "label")
    title = f"Change the question “{_words(saved.label)}”" if saved else f"Add a question: {kind.name.lower()}"
    return EditPage(
        f"section {section_key} question {saved_key}" if saved else f"section {section_key} question added",
        QuestionForm, "designer/question_settings.html", title, to_form=to_form, apply=apply,
        done_url=url_for("designer.questions", version_id=version.id, key=section_key), lists=lists,
        prepare_form=prepare, namer=_namer(kind),
        context={"kind": kind, "section": section, "saved": saved, "sub_kinds": {k: kind_of(k) for k in kind.sub_kinds},
                 "option_words": (one, several), "sub_words": (sub_one, sub_several)},
        saved_message=f"The question “{_words(saved.label)}” has been saved" if saved else "The question has been added")


@bp.route("/versions/<int:version_id>/sections/<key>/questions/new/<kind>", methods=["GET", "POST"])
def new_question_settings(version_id: int, key: str, kind: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    section = _section_or_404(spec, key)
    the_kind = _kind_or_404(kind)
    if len(section.questions) >= MAX_QUESTIONS:
        return redirect(url_for("designer.new_question", version_id=version.id, key=key))
    return edit(version, _settings(version, section, the_kind, None))


@bp.route("/versions/<int:version_id>/sections/<key>/questions/<question_key>", methods=["GET", "POST"])
def question(version_id: int, key: str, question_key: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    section = _section_or_404(designer.spec_of(version), key)
    saved = _question_or_404(section, question_key)
    return edit(version, _settings(version, section, _kind_or_404(saved.kind), saved))


# --- removing a question ---------------------------------------------------------------------------


@bp.route("/versions/<int:version_id>/sections/<key>/questions/<question_key>/remove", methods=["GET", "POST"])
def remove_question(version_id: int, key: str, question_key: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    section = _section_or_404(spec, key)
    saved = _question_or_404(section, question_key)
    kind = kind_of(saved.kind)
    answered = question_answers.assessments_answering(
        version.template_id, saved.key, kind.answered if kind else lambda answer: bool(answer))
    form = forms.ConfirmForm()
    depending = dependants(spec, version.id, saved.key)
    problem = ""
    if request.method == "GET":
        form.spec_hash.data = templateformat.spec_hash(spec)
    elif depending:
        problem = "This question cannot be removed while something depends on its answer"
    elif form.validate():
        section.questions = [q for q in section.questions if q.key != saved.key]
        problem = save_simple(version, spec, f"section {key} question {saved.key} removed", form.spec_hash.data or "") or ""
        if not problem:
            flash(f"The question “{_words(saved.label)}” has been removed")
            return redirect(url_for("designer.questions", version_id=version.id, key=key))
        form.spec_hash.data = templateformat.spec_hash(designer.spec_of(version))
    else:
        problem = "Your request could not be checked: try again"
    return render_template("designer/question_remove.html", version=version, section=section, question=saved,
                           answered=answered, dependants=depending, form=form, action_problem=problem,
                           title=f"Remove the question “{_words(saved.label)}”"), (409 if problem else 200)
