"""The template's sign-off steps: their order, who may sign at each, and each one's declaration.

A step's key is made from its title when it is first saved and never changes: approval requests
store it (docs/decisions/0017). A step's condition ("only if" an earlier answer) is kept as it is
by this page and changed on the step's condition page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from cia.data import designer
from cia.designer import bp
from cia.designer import forms_vocabulary as vf
from cia.designer.common import EditPage, edit, keyed, movable_list, version_or_404
from cia.designer.condition_words import describe
from cia.domain import APPROVER_LEVELS, Condition, SignOffStep, TemplateSpec
from cia.workflow import DEFAULT_STEP

# --- the paths, in words ----------------------------------------------------------------------------


@dataclass
class SignOffPath:
    """The steps an assessment whose answers meet `when` goes through."""

    when: str  # "If “Is a full assessment needed?” is “No”"
    steps: list[SignOffStep]
    #: Steps whose condition other answers decide: part of this path for some assessments only.
    depending: list[SignOffStep]


def _same(a: Condition, b: Condition) -> bool:
    return a.question == b.question and sorted(a.values) == sorted(b.values)


def signoff_paths(spec: TemplateSpec) -> list[SignOffPath]:
    """For each distinct condition of the steps, the steps an assessment meeting it goes through: the
    steps without a condition, and those whose condition it meets (the same question, every one of its
    answers among the step's). Last, an assessment that meets none of them: the steps without a
    condition, or the one default step (cia.workflow.steps_for)."""
    steps = spec.signoff_steps
    always = [s for s in steps if not s.show_if.question]
    distinct: list[Condition] = []
    for step in steps:
        if step.show_if.question and not any(_same(step.show_if, seen) for seen in distinct):
            distinct.append(step.show_if)
    paths = []
    for condition in distinct:
        chosen = set(condition.values)
        on = [s for s in steps if not s.show_if.question
              or (s.show_if.question == condition.question and chosen <= set(s.show_if.values))]
        depending = [s for s in steps if s.show_if.question and s not in on
                     and (s.show_if.question != condition.question or chosen & set(s.show_if.values))]
        words = describe(spec, condition)
        paths.append(SignOffPath("If " + words.removeprefix("Only if "), on, depending))
    paths.append(SignOffPath("If none of these applies" if distinct else "Every assessment",
                             always or [DEFAULT_STEP], []))
    return paths


def who_signs(step: SignOffStep) -> str:
    """"Head of Service or Equalities officer"; with no levels named, the size's level."""
    if not step.levels:
        return "the approver level the project size calls for"
    names = [APPROVER_LEVELS.get(level, level) for level in step.levels]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


# --- the page -----------------------------------------------------------------------------------


def _to_form(spec: TemplateSpec) -> dict[str, Any]:
    return {"steps": [{"key": s.key, "title": s.title, "levels": list(s.levels), "declaration": s.declaration}
                      for s in spec.signoff_steps]}


def _apply(spec: TemplateSpec, data: dict[str, Any]) -> TemplateSpec:
    items = data.get("steps") or []
    before = {s.key: s for s in spec.signoff_steps}
    keys = keyed(items, set(before), "title", "step")
    spec.signoff_steps = [
        SignOffStep(key=key, title=item.get("title") or "",
                    levels=list(dict.fromkeys(lv for lv in item.get("levels") or [] if lv in APPROVER_LEVELS)),
                    declaration=item.get("declaration") or "",
                    show_if=before[key].show_if.copy() if key in before else Condition())
        for key, item in zip(keys, items, strict=True)]
    return spec


@bp.route("/versions/<int:version_id>/signoff-steps", methods=["GET", "POST"])
def signoff_steps(version_id: int):
    version = version_or_404(version_id)
    blank = {"key": "", "title": "", "levels": [], "declaration": ""}
    paths: list[SignOffPath] = []
    conditions: dict[str, str] = {}
    if version.status == "draft":  # as saved: the steps and their conditions in words
        saved = designer.spec_of(version)
        paths = signoff_paths(saved)
        conditions = {s.key: describe(saved, s.show_if) for s in saved.signoff_steps}
    page = EditPage("signoff steps", vf.SignOffStepsForm, "designer/signoff_steps.html", "Sign-off steps",
                    to_form=_to_form, apply=_apply, done_url=url_for("designer.version", version_id=version_id),
                    lists={"steps": movable_list(lambda: {**blank, "levels": []}, vf.MAX_SIGNOFF_STEPS,
                                                 "sign-off steps")},
                    context={"paths": paths, "who_signs": who_signs, "conditions": conditions}, namer=vf.NAMER)
    return edit(version, page)
