"""Templates and their versions: the list, one version, new version, publish, retire, delete, YAML."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for

from cia import template_changes, templateformat
from cia.data import designer
from cia.data.templates import TemplateVersionIsFrozen
from cia.designer import bp, forms
from cia.designer.common import frozen, user, version_or_404
from cia.extensions import db
from cia.formfields import whole_number
from cia.models import Template
from cia.requestinfo import remote_addr
from cia.templateformat import Problem

#: Where each part of a template is edited, for links from the publish check's messages.
_PART_PAGES = (
    ("sections[", None),
    ("name", ("designer.details", "name")),
    ("organisation", ("designer.details", "organisation")),
    ("version", ("designer.details", "name")),
    ("document_title", ("designer.details", "document_title")),
    ("team_role", ("designer.details", "team_role_name")),
    ("staff_guidance", ("designer.details", "staff_guidance")),
    ("sections_intro", ("designer.details", "sections_intro")),
    ("evidence_base_", ("designer.details", "evidence_base_label")),
    ("closing_instruction", ("designer.details", "closing_instruction")),
    ("header_fields", ("designer.header_fields", "headers")),
    ("columns", ("designer.columns", "columns")),
    ("completing_guidance", ("designer.bullets", "bullets")),
    ("please_note", ("designer.bullets", "bullets")),
    ("likelihood_scale", ("designer.scales", "likelihood")),
    ("impact_scale", ("designer.scales", "impact")),
    ("rule_settings", ("designer.rules", "rules")),
)


def problem_links(version, spec, problems: list[Problem]) -> list[dict]:
    """The publish check's problems as error-summary items linking to the page that fixes each."""
    items = []
    for p in problems:
        href = url_for("designer.version", version_id=version.id)
        if p.path.startswith("sections["):
            index = int(p.path[len("sections["):].split("]")[0])
            if index < len(spec.sections):
                href = url_for("designer.section", version_id=version.id, key=spec.sections[index].key)
                rest = p.path.split("]", 1)[1]
                if rest.startswith(".category_areas"):  # the list as a whole too: "add a category area"
                    area = rest[len(".category_areas["):].split("]")[0] if rest != ".category_areas" else ""
                    href += f"#areas-{area}-title" if area.isdigit() else "#areas"
                elif rest.startswith("."):
                    href += f"#{rest[1:].split('.')[0]}"
            else:
                href = url_for("designer.sections", version_id=version.id)
        elif p.path == "sections":
            href = url_for("designer.sections", version_id=version.id)
        else:
            for prefix, target in _PART_PAGES:
                if target and p.path.startswith(prefix):
                    endpoint, anchor = target
                    kwargs = {"which": "please-note" if prefix == "please_note" else "completing"} \
                        if endpoint == "designer.bullets" else {}
                    href = url_for(endpoint, version_id=version.id, **kwargs) + f"#{anchor}"
                    break
        items.append({"text": p.message, "href": href})
    return items


@bp.route("/")
def index():
    return render_template("designer/index.html", lines=designer.overview(), title="Templates")


@bp.route("/<int:template_id>/versions", methods=["POST"])
def new_version(template_id: int):
    form = forms.ConfirmForm()
    template = db.session.get(Template, template_id)
    if template is None:
        return render_template("errors/404.html", title="Page not found"), 404
    asked = request.form.get("from_version") or ""
    # ASCII digits that fit an id column ("²".isdigit() is True, then int() fails; 20 digits overflow)
    number = whole_number(asked)
    source = designer.get_version(number) if number is not None else None
    if source is None or source.template_id != template.id:
        source = next((v for v in sorted(template.versions, key=lambda v: -v.number) if v.status == "published"), None)
    problem = ""
    if not form.validate():
        problem = "Your request could not be checked: try again"
    elif source is None:
        problem = f"{template.name} has no published version to copy: publish one first"
    else:
        try:
            version = designer.create_draft(source, user(), remote_addr())
        except designer.DesignerError as error:
            db.session.rollback()
            problem = str(error)
        else:
            flash(f"Version {version.number} has been created as a draft, copied from version {source.number}")
            return redirect(url_for("designer.version", version_id=version.id))
    return render_template("designer/index.html", lines=designer.overview(), problem=problem,
                           problem_href=f"#template-{template.id}", title="Templates"), 409


@bp.route("/versions/<int:version_id>")
def version(version_id: int):
    version = version_or_404(version_id)
    spec = designer.spec_of(version)
    return render_template("designer/version.html", version=version, spec=spec, usage=designer.usage(version),
                           draft=designer.draft_of(version.template_id), form=forms.ConfirmForm(),
                           spec_hash=templateformat.spec_hash(spec),
                           title=f"{version.name}: version {version.number}")


@bp.route("/versions/<int:version_id>/publish", methods=["GET", "POST"])
def publish(version_id: int):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version, "Only a draft can be published.")
    spec = designer.spec_of(version)
    form = forms.ConfirmForm()
    problems = templateformat.publish_problems(spec)
    message = ""
    status = 200
    if request.method == "POST" and form.validate():
        try:
            designer.publish(version, user(), remote_addr(), seen_hash=form.spec_hash.data or "")
        except designer.InvalidSpec as invalid:
            db.session.rollback()
            problems, status = invalid.problems, 400
        except designer.StaleSpec as stale:
            db.session.rollback()
            spec, status = stale.current, 409
            problems = templateformat.publish_problems(spec)
            message = ("Another administrator changed this draft since you opened this page. Check it again "
                       "before you publish it.")
        except TemplateVersionIsFrozen:
            db.session.rollback()
            return frozen(version)
        else:
            flash(f"Version {version.number} of {version.name} is published. New assessments will use it.")
            return redirect(url_for("designer.version", version_id=version.id))
    elif request.method == "POST":
        status = 400
        message = "Your request could not be checked: try again"
    form.spec_hash.data = templateformat.spec_hash(spec)
    base = designer.compared_with(version)
    changes = template_changes.compare(designer.spec_of(base), spec) if base is not None else None
    return render_template("designer/publish.html", version=version, spec=spec, form=form, message=message,
                           errors=problem_links(version, spec, problems), usage=designer.usage(version),
                           base=base, changes=changes, title=f"Publish version {version.number}"), status


@bp.route("/versions/<int:version_id>/retire", methods=["GET", "POST"])
def retire(version_id: int):
    version = version_or_404(version_id)
    if version.status != "published":
        return frozen(version, "Only a published version can be retired.")
    form = forms.ConfirmForm()
    if request.method == "POST" and form.validate():
        try:
            designer.retire(version, user(), remote_addr())
        except TemplateVersionIsFrozen:
            db.session.rollback()
            return frozen(version)
        flash(f"Version {version.number} of {version.name} is retired. New assessments can no longer use it.")
        return redirect(url_for("designer.version", version_id=version.id))
    return render_template("designer/confirm.html", version=version, form=form, usage=designer.usage(version),
                           action="retire", title=f"Retire version {version.number}")


@bp.route("/versions/<int:version_id>/delete", methods=["GET", "POST"])
def delete(version_id: int):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version, "Only a draft can be deleted.")
    form = forms.ConfirmForm()
    problem = ""
    if request.method == "POST" and form.validate():
        name, number = version.name, version.number
        try:
            designer.delete_draft(version, user(), remote_addr())
        except designer.DesignerError as error:
            db.session.rollback()
            problem = str(error)
        except TemplateVersionIsFrozen:
            db.session.rollback()
            return frozen(version)
        else:
            flash(f"The draft version {number} of {name} has been deleted")
            return redirect(url_for("designer.index"))
    return render_template("designer/confirm.html", version=version, form=form, usage=designer.usage(version),
                           action="delete", problem=problem, title=f"Delete draft version {version.number}")


# --- YAML ---------------------------------------------------------------------------------------


@bp.route("/versions/<int:version_id>/download")
def download(version_id: int):
    version = version_or_404(version_id)
    text = designer.export_yaml(version, user(), remote_addr())
    return Response(text, mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="{designer.yaml_filename(version)}"'})


def _read_upload(form) -> tuple[templateformat.TemplateSpec | None, list[dict]]:
    """The uploaded file as a template, or the error-summary items saying what is wrong with it."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None, [{"text": "Select a YAML file to upload", "href": "#file"}]
    content = upload.read(forms.YAML_MAX_BYTES + 1)
    if len(content) > forms.YAML_MAX_BYTES:
        return None, [{"text": "The file must be smaller than 1 MB", "href": "#file"}]
    try:
        spec = templateformat.load(content)
    except templateformat.TemplateFormatError as error:
        problems = error.problems[:30]
        items = [{"text": f"The file has a problem: {p}", "href": "#file"} for p in problems]
        if len(error.problems) > len(problems):
            items.append({"text": f"… and {len(error.problems) - len(problems)} more problems", "href": "#file"})
        return None, items
    return spec, []


def _form_errors(form) -> list[dict]:
    """Why the upload form itself was refused: a choice the page does not offer, or its token."""
    if form.publish.errors:
        return [{"text": form.publish.errors[0], "href": "#publish"}]
    return [{"text": "Your request could not be checked: try again", "href": "#file"}]


@bp.route("/import", methods=["GET", "POST"])
def import_yaml():
    form = forms.UploadForm()
    errors: list[dict] = []
    if request.method == "POST":
        if not form.validate():
            errors = _form_errors(form)
        else:
            spec, errors = _read_upload(form)
            if spec is not None:
                filename = form.file.data.filename
                try:
                    done = designer.import_spec(spec, user(), remote_addr(), publish_now=form.publish.data == "yes",
                                                source=filename)
                except designer.InvalidSpec as invalid:
                    db.session.rollback()
                    errors = [{"text": f"The file has a problem: {p.message}", "href": "#file"}
                              for p in invalid.problems]
                except designer.DraftExists as exists:
                    db.session.rollback()
                    errors = [{"text": str(exists), "href": "#file"}]
                else:
                    what = "a new template" if done.new_template else f"version {done.version.number} of {spec.name}"
                    state = "published" if done.published else "a draft"
                    flash(f"{filename} has been imported as {what}, {state}")
                    return redirect(url_for("designer.version", version_id=done.version.id))
    return render_template("designer/upload.html", form=form, errors=errors, version=None,
                           title="Import a template from a YAML file"), (400 if errors else 200)


@bp.route("/versions/<int:version_id>/upload", methods=["GET", "POST"])
def upload(version_id: int):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    form = forms.UploadForm()
    errors: list[dict] = []
    if request.method == "GET":
        form.spec_hash.data = templateformat.spec_hash(designer.spec_of(version))
    elif not form.validate():
        errors = _form_errors(form)
    else:
        spec, errors = _read_upload(form)
        if spec is not None:
            try:
                designer.replace_from_yaml(version, spec, user(), remote_addr(), seen_hash=form.spec_hash.data or "",
                                           source=form.file.data.filename)
            except designer.StaleSpec as stale:
                db.session.rollback()
                form.spec_hash.data = templateformat.spec_hash(stale.current)
                errors = [{"text": "Another administrator changed this draft since you opened this page. Check the "
                                   "draft, then upload the file again if you still want to replace it", "href": "#file"}]
            except designer.InvalidSpec as invalid:
                db.session.rollback()
                errors = [{"text": f"The file has a problem: {p.message}", "href": "#file"} for p in invalid.problems]
            except TemplateVersionIsFrozen:
                db.session.rollback()
                return frozen(version)
            else:
                flash(f"The draft now holds the content of {form.file.data.filename}")
                return redirect(url_for("designer.version", version_id=version.id))
    return render_template("designer/upload.html", form=form, errors=errors, version=version,
                           title=f"Replace version {version.number} with a YAML file"), (400 if errors else 200)
