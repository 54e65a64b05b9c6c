"""One condition page for everything that can have a condition: a section, a question, a sign-off
step, a standard page, and a section's "end the assessment after it".

Every target's condition has the same shape (an earlier question, and the answers of it that meet
the condition), so one page serves them all; what differs is which questions count as earlier
(the template format's rule, templateformat._condition_problems): before the section, before the
question, up to and including the section (ending), or any question (sign-off steps and standard
pages come after every section). The page offers only questions answered by choosing from options,
each revealing its options as checkboxes (GOV.UK's conditional reveal; without JavaScript all are
shown). Anything else posted (a later question, the question itself, one removed meanwhile, an
answer the question does not have) is refused with a message saying why; the values posted for the
questions not chosen are ignored. Saving runs the designer's one edit flow, so two administrators
get the conflict page, and every change is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, render_template, request, url_for
from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from cia.data import designer
from cia.designer import bp
from cia.designer.common import EditPage, edit, frozen, version_or_404
from cia.designer.condition_words import describe
from cia.designer.forms import LockedForm
from cia.domain import STANDARD_PAGES, Condition, Question, StandardPage, TemplateSpec
from cia.kinds.base import kind_of, options_of

TARGETS = ("section", "question", "step", "page", "end")


@dataclass
class Target:
    """What the condition belongs to, and the questions it may depend on."""

    heading: str  # "Show this section only if"
    name: str  # "Section: “Screening”"
    #: What the chosen answers do, for messages ("Select the answers ... that show it").
    effect: str
    none_label: str  # "No condition: always show it"
    condition: Condition
    #: Every question asked before the target, in template order (of any kind).
    earlier: list[Question]
    #: Why a question not in `earlier` cannot be chosen ("is asked after this question").
    not_earlier: str
    #: The target's own question key, for a question's condition.
    itself: str
    #: Puts a condition on the target in a copy of the draft (which may no longer have it).
    put: Callable[[TemplateSpec, Condition], None]
    back: str  # where the page goes back to

    @property
    def candidates(self) -> list[Question]:
        """The earlier questions a condition can test: those answered by choosing from options."""
        return [q for q in self.earlier if _chosen(q)]


def _chosen(question: Question) -> bool:
    kind = kind_of(question.kind)
    return kind is not None and kind.chosen_from_options


def _questions(spec: TemplateSpec) -> list[Question]:
    return [q for s in spec.sections for q in s.questions]


def _before_section(spec: TemplateSpec, index: int) -> list[Question]:
    return [q for s in spec.sections[:index] for q in s.questions]


def _section_target(spec: TemplateSpec, key: str, version_id: int, *, ending: bool) -> Target | None:
    index = next((i for i, s in enumerate(spec.sections) if s.key == key), None)
    if index is None:
        return None
    section = spec.sections[index]

    def put(copy: TemplateSpec, condition: Condition) -> None:
        found = copy.section(key)
        if found is not None:
            setattr(found, "end_if" if ending else "show_if", condition)

    back = url_for("designer.section", version_id=version_id, key=key)
    name = f"Section: “{section.title}”"
    if ending:
        return Target("End the assessment after this section if", name, "end the assessment",
                      "No condition: never end the assessment here", section.end_if,
                      _before_section(spec, index + 1), "is asked after this section", "", put, back)
    return Target("Show this section only if", name, "show it", "No condition: always show it", section.show_if,
                  _before_section(spec, index), "is asked in this section or after it", "", put, back)


def _question_target(spec: TemplateSpec, key: str, version_id: int) -> Target | None:
    questions = _questions(spec)
    index = next((i for i, q in enumerate(questions) if q.key == key), None)
    if index is None:
        return None
    question = questions[index]
    section = next(s for s in spec.sections if question in s.questions)

    def put(copy: TemplateSpec, condition: Condition) -> None:
        found = copy.question(key)
        if found is not None:
            found.show_if = condition

    return Target("Show this question only if", f"Question: “{question.label}”", "show it",
                  "No condition: always show it", question.show_if, questions[:index],
                  "is asked after this question", key, put,
                  url_for("designer.section", version_id=version_id, key=section.key))


def _step_target(spec: TemplateSpec, key: str, version_id: int) -> Target | None:
    step = next((s for s in spec.signoff_steps if s.key == key), None)
    if step is None:
        return None

    def put(copy: TemplateSpec, condition: Condition) -> None:
        found = next((s for s in copy.signoff_steps if s.key == key), None)
        if found is not None:
            found.show_if = condition

    return Target("Use this sign-off step only if", f"Sign-off step: “{step.title}”", "use it",
                  "No condition: always use it", step.show_if, _questions(spec), "is not in the template", "",
                  put, url_for("designer.version", version_id=version_id))


def _page_target(spec: TemplateSpec, key: str, version_id: int) -> Target | None:
    if key not in STANDARD_PAGES:
        return None
    pages = spec.standard_pages
    if pages is None:  # every page, always: saving a condition makes the list explicit
        condition = Condition()
    else:
        page = next((p for p in pages if p.key == key), None)
        if page is None:  # the template leaves the page out: there is nothing to show on a condition
            return None
        condition = page.show_if

    def put(copy: TemplateSpec, condition: Condition) -> None:
        if copy.standard_pages is None:
            if not condition.question:
                return
            copy.standard_pages = [StandardPage(key=k) for k in STANDARD_PAGES]
        found = next((p for p in copy.standard_pages if p.key == key), None)
        if found is not None:
            found.show_if = condition

    return Target("Show this page only if", f"Page: “{STANDARD_PAGES[key]}”", "show it",
                  "No condition: always show it", condition, _questions(spec), "is not in the template", "",
                  put, url_for("designer.version", version_id=version_id))


def find_target(spec: TemplateSpec, target: str, key: str, version_id: int) -> Target | None:
    if target == "section":
        return _section_target(spec, key, version_id, ending=False)
    if target == "end":
        return _section_target(spec, key, version_id, ending=True)
    if target == "question":
        return _question_target(spec, key, version_id)
    if target == "step":
        return _step_target(spec, key, version_id)
    if target == "page":
        return _page_target(spec, key, version_id)
    return None


def answers_field(key: str) -> str:
    """The form field of a question's answers: a key has no "__", so "-" -> "__" keeps them apart."""
    return "answers_" + key.replace("-", "__")


def _quoted(question: Question) -> str:
    return f"“{' '.join(question.label.split())}”"


def _form_class(spec: TemplateSpec, target: Target) -> type:
    """The page's form: which question, then the answers of each question it may depend on."""
    earlier = {q.key for q in target.earlier}

    class ConditionForm(LockedForm):
        depends_on = RadioField("Which question does it depend on?", validate_choice=False, default="")

        def validate(self, extra_validators=None) -> bool:
            if not super().validate(extra_validators):
                return False
            key = self.depends_on.data or ""
            if not key:
                return True
            question = spec.question(key)
            problem = ""
            if key == target.itself:
                problem = "A question cannot depend on its own answer: choose a question asked before it"
            elif question is None:
                problem = ("That question is no longer in the template (it may have been removed): "
                           "choose another question")
            elif key not in earlier:
                problem = f"{_quoted(question)} {target.not_earlier}: choose a question asked before it"
            elif not _chosen(question):
                problem = (f"{_quoted(question)} is not answered by choosing from options: choose a yes or no, "
                           "choice or rating question")
            if problem:
                self.depends_on.errors = [problem]
                return False
            assert question is not None  # refused above when it is missing
            answers = self[answers_field(key)]
            known = {o.key: o.label for o in options_of(question, spec)}
            chosen = answers.data or []
            unknown = [value for value in chosen if value not in known]
            if not chosen:
                answers.errors = [f"Select the answers to {_quoted(question)} that {target.effect}"]
            elif unknown:
                answers.errors = [f"“{unknown[0][:80]}” is not an answer to {_quoted(question)}: choose one of "
                                  "its answers"]
            return not answers.errors

    for question in target.candidates:
        setattr(ConditionForm, answers_field(question.key),
                SelectMultipleField(f"Select the answers that {target.effect}", validate_choice=False,
                                    choices=[SelectChoice(o.key, o.label) for o in options_of(question, spec)]))
    return ConditionForm


def _to_form(condition: Condition) -> dict:
    data: dict = {"depends_on": condition.question}
    if condition.question:
        data[answers_field(condition.question)] = list(condition.values)
    return data


def _apply(target: Target):
    def apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
        key = data.get("depends_on") or ""
        values = list(dict.fromkeys(data.get(answers_field(key)) or []))  # a box ticked twice counts once
        condition = Condition(question=key, values=values) if key else Condition()
        target.put(spec, condition)
        return spec

    return apply


@bp.route("/versions/<int:version_id>/conditions/<target>/<key>", methods=["GET", "POST"])
def condition(version_id: int, target: str, key: str):
    version = version_or_404(version_id)
    if target not in TARGETS:
        abort(404)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    found = find_target(spec, target, key, version_id)
    if found is None:
        abort(404)
    words = describe(spec, found.condition)
    if not found.candidates and not found.condition.question:
        problem = "" if request.method == "GET" else "There is no earlier question to depend on: nothing was saved"
        return render_template("designer/condition_none.html", version=version, target=found, action_problem=problem,
                               title=found.heading), (400 if problem else 200)
    page = EditPage(f"condition {target} {key}", _form_class(spec, found), "designer/condition.html", found.heading,
                    to_form=lambda _spec: _to_form(found.condition), apply=_apply(found), done_url=found.back,
                    context={"target": found, "words": words, "answers_field": answers_field,
                             "options_of": lambda q: options_of(q, spec)},
                    saved_message=("The condition has been removed" if request.method == "POST"
                                   and not request.form.get("depends_on") else "The condition has been saved"))
    return edit(version, page)
