"""Starting a template: from scratch, by copying a shipped template, or as a duplicate of another.

(Uploading a YAML file is the import page, routes_versions.py.) Each way makes a new template whose
version 1 is a draft, under a name no other template has, audited as "template.created" with where
it came from. A duplicate copies the template's newest version as the administrator saw it: if that
version changed, or a newer one appeared, since the page was opened, the page says so and copies
nothing, as the designer's edit pages do with a draft someone else saved.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from cia import templateformat
from cia.data import designer
from cia.designer import bp
from cia.designer.common import user
from cia.designer.forms_start import HOW, BlankForm, DuplicateForm, ShippedForm, StartForm
from cia.domain import TemplateSpec
from cia.extensions import db
from cia.formfields import whole_number
from cia.models import Template
from cia.requestinfo import remote_addr

_NEXT = {"blank": "designer.start_blank", "shipped": "designer.start_shipped", "upload": "designer.import_yaml"}


@bp.route("/new", methods=["GET", "POST"])
def start():
    form = StartForm()
    if form.validate_on_submit():
        return redirect(url_for(_NEXT[form.how.data]))
    hints = [{"hint": {"text": hint}} for _, hint in HOW.values()]
    return render_template("designer/start.html", form=form, hints=hints, title="Start a template"), \
        (400 if request.method == "POST" else 200)


def _create(form, spec: TemplateSpec, page: str, context: dict, **source):
    """Create the template, or show the page again with why not (the name is taken, say)."""
    problem = ""
    try:
        version = designer.start_template(spec, user(), remote_addr(), **source)
    except designer.NameTaken as taken:
        db.session.rollback()
        form.name.errors = [*form.name.errors, str(taken)]
    except designer.InvalidSpec as invalid:
        db.session.rollback()
        problem = invalid.problems[0].message
    else:
        flash(f"The template “{version.name}” has been created. Version 1 is a draft: build it, preview it, "
              "then check and publish it.")
        return redirect(url_for("designer.version", version_id=version.id))
    return render_template(page, form=form, action_problem=problem, **context), 400


@bp.route("/new/blank", methods=["GET", "POST"])
def start_blank():
    form = BlankForm()
    context = {"title": "Start a template from scratch", "version": None}
    if form.validate_on_submit():
        spec = designer.blank_spec(form.name.data, form.organisation.data or "", form.section.data)
        return _create(form, spec, "designer/start_blank.html", context, source="scratch")
    return render_template("designer/start_blank.html", form=form, **context), (400 if request.method == "POST" else 200)


@bp.route("/new/copy", methods=["GET", "POST"])
def start_shipped():
    form = ShippedForm()
    shipped = designer.shipped_choices()
    form.shipped.choices = [(slug, name) for slug, name, _ in shipped]
    context = {"title": "Copy a template that comes with this service", "version": None,
               "hints": [{"hint": {"text": organisation}} if organisation else {} for _, _, organisation in shipped]}
    if form.validate_on_submit():
        spec = designer.shipped_spec(form.shipped.data)
        if spec is None:  # validated against the same list: only a file removed since could get here
            abort(404)
        spec.name, spec.organisation = form.name.data, form.organisation.data or ""
        return _create(form, spec, "designer/start_shipped.html", context, source="shipped",
                       shipped=form.shipped.data)
    return render_template("designer/start_shipped.html", form=form, **context), \
        (400 if request.method == "POST" else 200)


@bp.route("/<int:template_id>/duplicate", methods=["GET", "POST"])
def duplicate(template_id: int):
    template = db.session.get(Template, template_id)
    source = designer.newest_version(template_id) if template is not None else None
    if template is None or source is None:
        abort(404)
    spec = designer.spec_of(source)
    fingerprint = templateformat.spec_hash(spec)
    form = DuplicateForm()
    context = {"title": f"Duplicate {template.name}", "template": template, "source": source, "version": None}
    if request.method == "GET":
        form.organisation.data = source.organisation
        form.source.data, form.spec_hash.data = str(source.id), fingerprint
    elif form.validate_on_submit():
        if whole_number(form.source.data or "") != source.id or form.spec_hash.data != fingerprint:
            form.source.data, form.spec_hash.data = str(source.id), fingerprint
            problem = (f"{template.name} changed since you opened this page: its newest version is now version "
                       f"{source.number} ({source.status}). Check it, then duplicate it again if you still want to")
            return render_template("designer/duplicate.html", form=form, action_problem=problem, **context), 409
        spec.name, spec.organisation = form.name.data, form.organisation.data or ""
        return _create(form, spec, "designer/duplicate.html", context, source="duplicate",
                       copied_from_template_id=template.id, copied_from_version=source.number,
                       copied_from_version_id=source.id)
    return render_template("designer/duplicate.html", form=form, **context), (400 if request.method == "POST" else 200)
