"""The template's sign-off steps: their order, who may sign at each, and each one's declaration.

A step's key is made from its title when it is first saved and never changes: approval requests
store it (docs/decisions/0017). A step's condition ("only if" an earlier answer) is kept as it is
by this page and changed on the step's condition page.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from cia.designer import bp
from cia.designer import forms_vocabulary as vf
from cia.designer.common import EditPage, edit, keyed, movable_list, version_or_404
from cia.domain import APPROVER_LEVELS, Condition, SignOffStep, TemplateSpec


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
    page = EditPage("signoff steps", vf.SignOffStepsForm, "designer/signoff_steps.html", "Sign-off steps",
                    to_form=_to_form, apply=_apply, done_url=url_for("designer.version", version_id=version_id),
                    lists={"steps": movable_list(lambda: {**blank, "levels": []}, vf.MAX_SIGNOFF_STEPS,
                                                 "sign-off steps")},
                    context={"levels": APPROVER_LEVELS})
    return edit(version, page)
