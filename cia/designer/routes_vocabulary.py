"""The council's lists (decision routes, project sizes, publication statuses, evidence types,
directions) and the template's rating scales, each edited on its own page.

A template that leaves one of the lists out uses the installation's default list
(docs/decisions/0015): its page shows that list, and saving it makes the list the template's own,
keys and all, so nothing an assessment stored changes meaning. Removing every item gives the
template the default list again. An item's key is made from its name when it is first saved and
never changes after, because assessments store it (docs/decisions/0030).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from cia import templateformat
from cia.data import designer
from cia.designer import bp
from cia.designer import forms_vocabulary as vf
from cia.designer.common import (
    EditPage,
    FieldProblem,
    edit,
    frozen,
    keyed,
    movable_list,
    option_keys,
    save_simple,
    version_or_404,
)
from cia.designer.forms import ConfirmForm
from cia.domain import (
    DEFAULT_DECISION_ROUTES,
    DEFAULT_DIRECTIONS,
    DEFAULT_EVIDENCE_TYPES,
    DEFAULT_PROJECT_SIZES,
    DEFAULT_PUBLICATION_STATUSES,
    DecisionRoute,
    NamedScale,
    Plain,
    ProjectSize,
    PublicationStatus,
    Question,
    ScaleOption,
    TemplateSpec,
)
from cia.templateformat import DECISION_ROUTE_KEY_MAX, KEY_MAX, PROJECT_SIZE_KEY_MAX

# --- keys ----------------------------------------------------------------------------------------


def limited_keys(items: list[dict[str, Any]], existing: set[str], fallback: str, limit: int) -> list[str]:
    """Keys for posted items as `keyed` makes them (a saved item keeps its key; a new one gets a key
    from its name), no longer than the column assessments store them in (a project size: 10)."""
    keys = keyed(items, existing, "label", fallback)
    taken = set(existing) | set(keys)
    for index, key in enumerate(keys):
        if len(key) <= limit:
            continue
        taken.discard(key)
        base = key[:limit].rstrip("_") or fallback[:limit]
        candidate, n = base, 2
        while candidate in taken:
            suffix = f"_{n}"
            candidate, n = base[:limit - len(suffix)].rstrip("_") + suffix, n + 1
        keys[index] = candidate
        taken.add(candidate)
    return keys


def _yes(value: Any) -> bool:
    return (value or "") == "yes"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# --- the council's lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """One of the council's lists, and how its page edits it."""

    slug: str  # its address: /templates/versions/<id>/<slug>
    attr: str  # the TemplateSpec field (empty: the installation's default)
    options: str  # the TemplateSpec property that applies the default
    list_name: str  # the form's list
    title: str
    what: str  # one item, in words: "decision route"
    form: type
    defaults: tuple
    key_limit: int
    fallback: str
    intro: str
    #: A stored item -> form data (the keys are added by the page).
    to_item: Callable[[Any], dict[str, Any]]
    #: (key, form data) -> the item to store.
    build: Callable[[str, dict[str, Any]], Plain]
    #: (the items to store, the stored items by key, the posted items) -> problems [(field id, message)];
    #: may set keys inside the items to store.
    check: Callable[[list[Any], dict[str, Any], list[dict[str, Any]]], list[tuple[str, str]]] = \
        lambda built, before, posted: []
    blank: dict[str, Any] = field(default_factory=dict)


def _routes_check(built: list[DecisionRoute], before: dict[str, Any], posted: list[dict[str, Any]]
                  ) -> list[tuple[str, str]]:
    others = [i for i, route in enumerate(built) if route.other]
    return [(f"routes-{i}-other", f"Decision route {i + 1}: only one decision route can ask the authors to say "
                                  "which: choose No for all but one") for i in others[1:]]


def _paragraphs(item: dict[str, Any]) -> list[ScaleOption]:
    return [ScaleOption(key=(p.get("key") or "").strip(), label=p.get("label") or "",
                        description=p.get("description") or "") for p in item.get("paragraphs") or []]


def _statuses_check(built: list[PublicationStatus], before: dict[str, Any], posted: list[dict[str, Any]]
                    ) -> list[tuple[str, str]]:
    """One status at most asks for a paragraph, with its question; paragraph keys as a scale's."""
    problems: list[tuple[str, str]] = []
    asking = [i for i, status in enumerate(built) if status.exemption_paragraphs]
    for i in asking[1:]:
        problems.append((f"statuses-{i}-paragraphs", f"Publication status {i + 1}: only one publication status can "
                                                     "ask which paragraph makes an assessment exempt: remove these "
                                                     "paragraphs, or the other status's"))
    for i, status in enumerate(built):
        if status.exemption_paragraphs and not status.exemption_question.strip():
            problems.append((f"statuses-{i}-exemption_question",
                             f"Publication status {i + 1}: enter the question asking which paragraph makes it exempt"))
        stored = before.get(status.key)
        existing = {p.key for p in stored.exemption_paragraphs} if stored else set()
        keys, found = option_keys(posted[i].get("paragraphs") or [], existing, f"statuses-{i}-paragraphs",
                                  f"Publication status {i + 1}: paragraph")
        problems += found
        for paragraph, key in zip(status.exemption_paragraphs, keys, strict=True):
            paragraph.key = key
    return problems


def _status_item(status: PublicationStatus) -> dict[str, Any]:
    return {"label": status.label, "published": _yes_no(status.published),
            "exemption_question": status.exemption_question,
            "paragraphs": [{"key": p.key, "locked": "1", "label": p.label, "description": p.description}
                           for p in status.exemption_paragraphs]}


def _named_item(option: ScaleOption) -> dict[str, Any]:
    return {"label": option.label, "description": option.description}


def _named_build(key: str, item: dict[str, Any]) -> ScaleOption:
    return ScaleOption(key=key, label=item.get("label") or "", description=item.get("description") or "")


_INTRO_OWN = ("The key of each item is what assessments store: it is made from the name when the item is first "
              "saved and never changes, so you can rename items freely.")

VOCABULARIES = {v.slug: v for v in (
    Vocabulary("decision-routes", "decision_routes", "decision_route_options", "routes", "Decision routes",
               "decision route", vf.RoutesForm, DEFAULT_DECISION_ROUTES, DECISION_ROUTE_KEY_MAX, "route",
               "How a decision can be taken: the proposal's details ask the authors to choose one. One route may "
               "ask the authors to say which (for example “Other”).",
               to_item=lambda r: {"label": r.label, "other": _yes_no(r.other)},
               build=lambda key, i: DecisionRoute(key=key, label=i.get("label") or "", other=_yes(i.get("other"))),
               check=_routes_check, blank={"other": "no"}),
    Vocabulary("project-sizes", "project_sizes", "project_size_options", "sizes", "Project sizes",
               "project size", vf.SizesForm, DEFAULT_PROJECT_SIZES, PROJECT_SIZE_KEY_MAX, "size",
               "The sizes of project the authors choose from, and who signs off a project of each size (the "
               "approver level a sign-off step uses when it names no one).",
               to_item=lambda s: {"label": s.label, "approver_level": s.approver_level},
               build=lambda key, i: ProjectSize(key=key, label=i.get("label") or "",
                                                approver_level=i.get("approver_level") or ""),
               blank={"approver_level": ""}),
    Vocabulary("publication-statuses", "publication_statuses", "publication_options", "statuses",
               "Publication statuses", "publication status", vf.StatusesForm, DEFAULT_PUBLICATION_STATUSES, KEY_MAX,
               "status",
               "Whether an assessment is published with the decision papers. The checker checks a published one "
               "for personal details of members of the public. One status may ask which paragraph makes the "
               "assessment exempt (Schedule 12A): give it the paragraphs to choose from.",
               to_item=_status_item,
               build=lambda key, i: PublicationStatus(key=key, label=i.get("label") or "",
                                                      published=_yes(i.get("published")),
                                                      exemption_question=(i.get("exemption_question") or "").strip(),
                                                      exemption_paragraphs=_paragraphs(i)),
               check=_statuses_check, blank={"published": "no", "exemption_question": "", "paragraphs": []}),
    Vocabulary("evidence-types", "evidence_types", "evidence_type_options", "evidence", "Evidence types",
               "evidence type", vf.EvidenceTypesForm, DEFAULT_EVIDENCE_TYPES, KEY_MAX, "type",
               "The types an author gives each item of evidence in an Evidence Base.",
               to_item=_named_item, build=_named_build),
    Vocabulary("directions", "directions", "direction_options", "directions", "Directions of impact", "direction",
               vf.DirectionsForm, DEFAULT_DIRECTIONS, KEY_MAX, "direction",
               "Whether the impacts an Evidence Base sums up are positive, negative or otherwise.",
               to_item=_named_item, build=_named_build),
)}


def installation_levels() -> dict[str, str]:
    """The approver levels this installation sets for the default project sizes (CIA_APPROVER_LEVELS)."""
    return dict(current_app.config.get("CIA_APPROVER_LEVELS") or {})


def _vocabulary_to_form(vocabulary: Vocabulary) -> Callable[[TemplateSpec], dict[str, Any]]:
    def to_form(spec: TemplateSpec) -> dict[str, Any]:
        out = []
        levels = installation_levels() if vocabulary.attr == "project_sizes" and not spec.project_sizes else {}
        for item in getattr(spec, vocabulary.options):
            data = {"key": item.key, **vocabulary.to_item(item)}
            if levels.get(item.key):  # the level this installation uses for a default size
                data["approver_level"] = levels[item.key]
            out.append(data)
        return {vocabulary.list_name: out}

    return to_form


def _vocabulary_apply(vocabulary: Vocabulary, page: EditPage) -> Callable[[TemplateSpec, dict], TemplateSpec]:
    def apply(spec: TemplateSpec, data: dict[str, Any]) -> TemplateSpec:
        posted = data.get(vocabulary.list_name) or []
        before = {item.key: item for item in getattr(spec, vocabulary.options)}
        keys = limited_keys(posted, set(before), vocabulary.fallback, vocabulary.key_limit)
        built = [vocabulary.build(key, item) for key, item in zip(keys, posted, strict=True)]
        problems = vocabulary.check(built, before, posted)
        if problems:
            raise FieldProblem(problems)
        setattr(spec, vocabulary.attr, built)
        page.saved_message = (f"Your changes have been saved. The template uses the installation's default "
                              f"{vocabulary.title.lower()} again" if not built else "Your changes have been saved")
        return spec

    return apply


def _vocabulary_view(slug: str):
    def view(version_id: int):
        vocabulary = VOCABULARIES[slug]
        version = version_or_404(version_id)
        blank = {"key": "", "label": "", **vocabulary.blank}
        lists = {vocabulary.list_name: movable_list(lambda: copy.deepcopy(blank), vf.MAX_LIST_ITEMS,
                                                    vocabulary.title.lower(), "label")}
        if vocabulary.list_name == "statuses":
            lists["paragraphs"] = movable_list(lambda: {"key": "", "locked": "", "label": "", "description": ""},
                                               vf.MAX_LIST_ITEMS, "paragraphs to a status", "label")
        spec = designer.spec_of(version) if version.status == "draft" else TemplateSpec()
        page = EditPage(f"list {slug}", vocabulary.form, "designer/vocabulary_list.html", vocabulary.title,
                        to_form=_vocabulary_to_form(vocabulary), apply=lambda s, d: s,
                        done_url=url_for("designer.version", version_id=version_id), lists=lists,
                        context={"vocabulary": vocabulary, "own": bool(getattr(spec, vocabulary.attr)),
                                 "installation_levels": installation_levels(), "intro_keys": _INTRO_OWN})
        page.apply = _vocabulary_apply(vocabulary, page)
        return edit(version, page)

    view.__name__ = f"vocabulary_{slug.replace('-', '_')}"
    return view


for _slug in VOCABULARIES:
    bp.add_url_rule(f"/versions/<int:version_id>/{_slug}", view_func=_vocabulary_view(_slug),
                    methods=["GET", "POST"])


# --- rating scales -----------------------------------------------------------------------------


def questions_using(spec: TemplateSpec, scale_key: str) -> list[str]:
    """The questions (and questions of list items) that rate on a scale, named for a person:
    "Equality impacts: How will the proposal affect people of each age?"."""
    found: list[str] = []

    def visit(section_title: str, questions: list[Question], within: str = "") -> None:
        for question in questions:
            if question.scale == scale_key:
                found.append(f"{section_title}: {within}{question.label or question.key}")
            if question.questions:
                visit(section_title, question.questions, f"{question.label or question.key}, ")

    for section in spec.sections:
        visit(section.title or section.key, section.questions)
    return found


def _scales_url(version_id: int) -> str:
    return url_for("designer.rating_scales", version_id=version_id)


@bp.route("/versions/<int:version_id>/rating-scales")
def rating_scales(version_id: int):
    """The template's rating scales, each with the questions that use it."""
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    used = {scale.key: questions_using(spec, scale.key) for scale in spec.scales}
    return render_template("designer/vocabulary_scales.html", version=version, spec=spec, used=used,
                           limit=vf.MAX_RATING_SCALES, title="Rating scales")


def _scale_or_404(spec: TemplateSpec, key: str) -> NamedScale:
    scale = next((s for s in spec.scales if s.key == key), None)
    if scale is None:
        abort(404)
    return scale


def _scale_form(scale: NamedScale) -> dict[str, Any]:
    return {"label": scale.label, "options": [{"key": o.key, "locked": "1", "label": o.label,
                                               "description": o.description} for o in scale.options]}


def _scale_options(data: dict[str, Any], existing: set[str]) -> list[ScaleOption]:
    items = data.get("options") or []
    keys, problems = option_keys(items, existing, "options", "Option")
    if problems:
        raise FieldProblem(problems)
    return [ScaleOption(key=k, label=i.get("label") or "", description=i.get("description") or "")
            for k, i in zip(keys, items, strict=True)]


def _scale_page(version_id: int, page: str, title: str, to_form, apply, message: str, key: str = "") -> EditPage:
    blank = {"key": "", "locked": "", "label": "", "description": ""}
    return EditPage(page, vf.RatingScaleForm, "designer/vocabulary_scale.html", title, to_form=to_form, apply=apply,
                    done_url=_scales_url(version_id),
                    lists={"options": movable_list(lambda: dict(blank), vf.MAX_LIST_ITEMS, "options to a scale",
                                                   "label")},
                    context={"scale_key": key}, saved_message=message)


@bp.route("/versions/<int:version_id>/rating-scales/new", methods=["GET", "POST"])
def new_rating_scale(version_id: int):
    version = version_or_404(version_id)

    def apply(spec: TemplateSpec, data: dict[str, Any]) -> TemplateSpec:
        if len(spec.scales) >= vf.MAX_RATING_SCALES:
            raise FieldProblem([("label", f"A template can have up to {vf.MAX_RATING_SCALES} rating scales")])
        key = templateformat.make_key(data.get("label") or "", {s.key for s in spec.scales}, "scale")
        spec.scales.append(NamedScale(key=key, label=data.get("label") or "", options=_scale_options(data, set())))
        return spec

    blank = [{"key": "", "locked": "", "label": "", "description": ""} for _ in range(2)]
    page = _scale_page(version_id, "rating scale added", "Add a rating scale",
                       lambda spec: {"label": "", "options": blank}, apply, "The rating scale has been added")
    return edit(version, page)


@bp.route("/versions/<int:version_id>/rating-scales/<key>", methods=["GET", "POST"])
def rating_scale(version_id: int, key: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    current = _scale_or_404(designer.spec_of(version), key)

    def apply(spec: TemplateSpec, data: dict[str, Any]) -> TemplateSpec:
        scale = next((s for s in spec.scales if s.key == key), None)
        if scale is None:  # removed by someone else meanwhile: the fingerprint check reports it
            return spec
        scale.label = data.get("label") or ""
        scale.options = _scale_options(data, {o.key for o in scale.options})
        return spec

    page = _scale_page(version_id, f"rating scale {key}", current.label or key,
                       lambda spec: _scale_form(_scale_or_404(spec, key)), apply,
                       f"The rating scale “{current.label}” has been saved", key)
    return edit(version, page)


@bp.route("/versions/<int:version_id>/rating-scales/<key>/remove", methods=["GET", "POST"])
def remove_rating_scale(version_id: int, key: str):
    """Remove a scale no question uses; while one does, say which, and remove nothing."""
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    scale = _scale_or_404(spec, key)
    used = questions_using(spec, key)
    form = ConfirmForm()
    problem = ""
    if used:
        if request.method == "POST":
            problem = (f"You cannot remove the scale “{scale.label}” while questions rate on it: give the questions "
                       "listed another scale, or remove them, first")
    elif request.method == "GET":
        form.spec_hash.data = templateformat.spec_hash(spec)
    elif form.validate():
        spec.scales = [s for s in spec.scales if s.key != key]
        problem = save_simple(version, spec, f"rating scale {key} removed", form.spec_hash.data or "") or ""
        if not problem:
            flash(f"The rating scale “{scale.label}” has been removed")
            return redirect(_scales_url(version.id))
        form.spec_hash.data = templateformat.spec_hash(designer.spec_of(version))
    else:
        problem = "Your request could not be checked: try again"
    status = 409 if problem else 200
    return render_template("designer/vocabulary_scale_remove.html", version=version, scale=scale, form=form,
                           used=used, action_problem=problem, title=f"Remove the rating scale {scale.label}"), status
