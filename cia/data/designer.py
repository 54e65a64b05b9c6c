"""The template designer's reads and writes: versions, edits, publishing, import and export.

Every function that changes something writes an audit row ("template.<verb>") with what
changed, and none commits: the view commits once, so a failure leaves nothing half done.
Published and retired versions never change: `templates.write_spec` refuses them, and so
does everything here. Moving an assessment to a newer version is in `cia.data.moves`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from cia import diff, templateformat
from cia.data import audit, templates
from cia.data.templates import TemplateVersionIsFrozen
from cia.domain import SectionSpec, TemplateSpec
from cia.extensions import db
from cia.models import Assessment, Revision, Template, TemplateVersion, User, utcnow
from cia.templateformat import Problem

#: How many changed fields one audit row lists (the count of the rest is kept).
AUDIT_CHANGES = 200


class DesignerError(Exception):
    """A refusal with a message for the person who asked (shown in the error summary)."""


class DraftExists(DesignerError):
    def __init__(self, draft: TemplateVersion):
        self.draft = draft
        super().__init__(f"{draft.name} already has a draft (version {draft.number}). Publish or delete that "
                         "draft before you create another version.")


class InvalidSpec(DesignerError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class StaleSpec(DesignerError):
    """Another administrator saved the draft since the form was opened."""

    def __init__(self, current: TemplateSpec):
        self.current = current
        super().__init__("Another administrator changed this draft while you were editing it")


# --- reading -------------------------------------------------------------------------


@dataclass
class VersionLine:
    version: TemplateVersion
    usage: int  # revisions pinned to it


@dataclass
class TemplateLine:
    template: Template
    versions: list[VersionLine]

    @property
    def draft(self) -> TemplateVersion | None:
        return next((v.version for v in self.versions if v.version.status == "draft"), None)

    @property
    def newest_published(self) -> TemplateVersion | None:
        published = [v.version for v in self.versions if v.version.status == "published"]
        return max(published, key=lambda v: v.number) if published else None


def overview() -> list[TemplateLine]:
    """Every template with its versions (newest first) and how many revisions use each."""
    usage = templates.usage_counts()
    found = db.session.execute(select(Template).order_by(Template.name, Template.id)).scalars().all()
    versions = db.session.execute(select(TemplateVersion).order_by(TemplateVersion.number.desc())).scalars().all()
    by_template: dict[int, list[VersionLine]] = {}
    for v in versions:
        by_template.setdefault(v.template_id, []).append(VersionLine(v, usage.get(v.id, 0)))
    return [TemplateLine(t, by_template.get(t.id, [])) for t in found]


def get_version(version_id: int, *, for_update: bool = False) -> TemplateVersion | None:
    query = select(TemplateVersion).where(TemplateVersion.id == version_id)
    if not for_update:
        return db.session.execute(query).scalar_one_or_none()
    # PostgreSQL: hold the row until commit (SQLite's BEGIN IMMEDIATE already serialises writers),
    # and read the sections again: another administrator may have saved while we waited.
    version = db.session.execute(
        query.with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if version is not None:
        db.session.expire(version, ["sections"])
    return version


def spec_of(version: TemplateVersion) -> TemplateSpec:
    """The version's content (a fresh copy: callers may change it)."""
    return templates.spec_for_version(version.id).copy()


def usage(version: TemplateVersion) -> int:
    return templates.usage_counts().get(version.id, 0)


def draft_of(template_id: int) -> TemplateVersion | None:
    return db.session.execute(
        select(TemplateVersion).where(TemplateVersion.template_id == template_id, TemplateVersion.status == "draft")
    ).scalars().first()


def assessments_on(version: TemplateVersion) -> list[tuple[Assessment, Revision]]:
    """Assessments whose current revision is pinned to `version`."""
    rows = db.session.execute(
        select(Assessment, Revision).join(Revision, Revision.id == Assessment.current_revision_id)
        .where(Revision.template_version_id == version.id).order_by(Assessment.reference)
    ).all()
    return [(a, r) for a, r in rows]


# --- audit -------------------------------------------------------------------------


def spec_changes(old: TemplateSpec | None, new: TemplateSpec) -> list[dict[str, Any]]:
    """Field-level changes between two versions' content, and changes of order of keyed lists."""
    old_dict = old.to_dict() if old else {}
    new_dict = new.to_dict()
    found = [{"field": c.path, "old": _short(c.old), "new": _short(c.new)}
             for c in diff.changes(old_dict, new_dict)]
    for path, before, after in _orders(old_dict, new_dict, ""):
        if before != after and set(before) == set(after):
            found.append({"field": f"{path} (order)", "old": before, "new": after})
    return found


def _orders(old: Any, new: Any, path: str):
    """(path, old keys, new keys) for every list of keyed items present in both documents."""
    if isinstance(new, dict) and isinstance(old, dict):
        for key, value in new.items():
            if key in old:
                yield from _orders(old[key], value, f"{path}.{key}" if path else key)
    elif isinstance(new, list) and isinstance(old, list) and new and all(isinstance(i, dict) and "key" in i for i in new):
        old_keys = [i.get("key") for i in old if isinstance(i, dict)]
        yield path, old_keys, [i["key"] for i in new]
        old_by_key = {i.get("key"): i for i in old if isinstance(i, dict)}
        for item in new:
            if item["key"] in old_by_key:
                yield from _orders(old_by_key[item["key"]], item, f"{path}[{item['key']}]")


def _short(value: Any) -> Any:
    return value[:2000] if isinstance(value, str) else value


def _record(action: str, version: TemplateVersion, actor: User | None, remote_addr: str = "",
            actor_email: str = "", **details: Any) -> None:
    audit.record(action, actor=actor, actor_email=actor_email, remote_addr=remote_addr,
                 object_type="template_version", object_id=version.id,
                 details={"template_id": version.template_id, "version": version.number, "name": version.name,
                          **details})


def _changes_details(changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"changes": changes[:AUDIT_CHANGES], "more": max(0, len(changes) - AUDIT_CHANGES)}


# --- versions ----------------------------------------------------------------------


def _next_number(template_id: int) -> int:
    highest = db.session.execute(
        select(func.max(TemplateVersion.number)).where(TemplateVersion.template_id == template_id)
    ).scalar_one()
    return (highest or 0) + 1


def create_draft(source: TemplateVersion, actor: User, remote_addr: str = "") -> TemplateVersion:
    """A new draft of `source`'s template holding a copy of `source` (number = highest + 1)."""
    existing = draft_of(source.template_id)
    if existing is not None:
        raise DraftExists(existing)
    if source.status == "draft":
        raise DesignerError("A new version is copied from a published or retired version, not from a draft")
    spec = spec_of(source)
    number = _next_number(source.template_id)
    spec.version = number
    version = TemplateVersion(template_id=source.template_id, number=number, status="draft", name=spec.name,
                              organisation=spec.organisation)
    db.session.add(version)
    db.session.flush()
    templates.write_spec(version, spec)
    db.session.flush()
    _record("template.version_created", version, actor, remote_addr, copied_from=source.number)
    return version


def save(version: TemplateVersion, spec: TemplateSpec, actor: User, remote_addr: str = "", *,
         seen_hash: str | None, page: str) -> list[dict[str, Any]]:
    """Store `spec` as the draft's content if nobody changed it since `seen_hash`; returns the changes.

    Raises TemplateVersionIsFrozen (not a draft), StaleSpec (someone saved first) or
    InvalidSpec (names, titles or keys a version may not have).
    """
    locked = get_version(version.id, for_update=True)
    if locked is None or locked.status != "draft":
        raise TemplateVersionIsFrozen(f"version {version.number} is {version.status} and cannot change")
    current = templates.spec_for_version(version.id)
    if seen_hash is not None and templateformat.spec_hash(current) != seen_hash:
        raise StaleSpec(current)
    spec = spec.copy()
    spec.version = version.number
    problems = templateformat.structure_problems(spec)
    if problems:
        raise InvalidSpec(problems)
    changes = spec_changes(current, spec)
    if not changes:
        return []
    templates.write_spec(version, spec)
    db.session.flush()
    _record("template.edited", version, actor, remote_addr, page=page, **_changes_details(changes))
    return changes


def publish(version: TemplateVersion, actor: User | None, remote_addr: str = "", *,
            seen_hash: str | None = None, actor_email: str = "") -> None:
    """Publish a draft once it passes every check; it can never change again."""
    locked = get_version(version.id, for_update=True)
    if locked is None or locked.status != "draft":
        raise TemplateVersionIsFrozen(f"version {version.number} is {version.status}: only a draft can be published")
    spec = templates.spec_for_version(version.id)
    if seen_hash is not None and templateformat.spec_hash(spec) != seen_hash:
        raise StaleSpec(spec)
    problems = templateformat.publish_problems(spec)
    if problems:
        raise InvalidSpec(problems)
    version.status = "published"
    version.published_at = utcnow()
    template = db.session.get(Template, version.template_id)
    template.name, template.organisation = version.name, version.organisation
    db.session.flush()
    _record("template.published", version, actor, remote_addr, actor_email=actor_email)


def retire(version: TemplateVersion, actor: User, remote_addr: str = "") -> None:
    """A retired version can no longer be chosen for new assessments; assessments on it keep it."""
    locked = get_version(version.id, for_update=True)
    if locked is None or locked.status != "published":
        raise TemplateVersionIsFrozen(f"version {version.number} is {version.status}: only a published version "
                                      "can be retired")
    version.status = "retired"
    version.retired_at = utcnow()
    db.session.flush()
    _record("template.retired", version, actor, remote_addr, assessments_using_it=usage(version))


def delete_draft(version: TemplateVersion, actor: User, remote_addr: str = "") -> None:
    """Throw a draft away (nothing can use a draft, so nothing is lost but the draft)."""
    locked = get_version(version.id, for_update=True)
    if locked is None or locked.status != "draft":
        raise TemplateVersionIsFrozen(f"version {version.number} is {version.status} and cannot be deleted")
    if usage(version):
        raise DesignerError("This draft is used by an assessment and cannot be deleted")
    spec = templates.spec_for_version(version.id)
    _record("template.draft_deleted", version, actor, remote_addr, content=spec.to_dict())
    template = db.session.get(Template, version.template_id)
    db.session.delete(version)
    db.session.flush()
    if not db.session.execute(select(TemplateVersion.id).where(TemplateVersion.template_id == template.id)).first():
        db.session.delete(template)  # an imported template whose only draft was thrown away
        db.session.flush()


# --- YAML ----------------------------------------------------------------------------


def export_yaml(version: TemplateVersion, actor: User | None, remote_addr: str = "", actor_email: str = "") -> str:
    text = templateformat.dump(templates.spec_for_version(version.id))
    _record("template.exported", version, actor, remote_addr, actor_email=actor_email, format="yaml")
    return text


def yaml_filename(version: TemplateVersion) -> str:
    slug = templateformat.make_key(version.name, fallback="template").replace("_", "-")
    return f"{slug}-v{version.number}.yaml"


def _template_named(name: str) -> Template | None:
    found = db.session.execute(select(Template).where(Template.name == name).order_by(Template.id)).scalars().first()
    if found is not None:
        return found
    return db.session.execute(
        select(Template).join(TemplateVersion).where(TemplateVersion.name == name).order_by(Template.id)
    ).scalars().first()


def _unique_slug(name: str) -> str:
    base = templateformat.make_key(name, fallback="template").replace("_", "-")[:90]
    taken = set(db.session.execute(select(Template.slug).where(Template.slug.like(f"{base}%"))).scalars())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@dataclass
class Imported:
    version: TemplateVersion
    new_template: bool
    published: bool


def import_spec(spec: TemplateSpec, actor: User | None, remote_addr: str = "", *, publish_now: bool = False,
                actor_email: str = "", source: str = "") -> Imported:
    """A new template (or a new draft version of the template with the same name) holding `spec`."""
    problems = (templateformat.publish_problems if publish_now else templateformat.structure_problems)(spec)
    if problems:
        raise InvalidSpec(problems)
    template = _template_named(spec.name)
    new_template = template is None
    if template is None:
        template = Template(slug=_unique_slug(spec.name), name=spec.name, organisation=spec.organisation)
        db.session.add(template)
        db.session.flush()
    else:
        existing = draft_of(template.id)
        if existing is not None:
            raise DraftExists(existing)
    number = _next_number(template.id)
    spec = spec.copy()
    spec.version = number
    version = TemplateVersion(template_id=template.id, number=number, status="draft", name=spec.name,
                              organisation=spec.organisation)
    db.session.add(version)
    db.session.flush()
    templates.write_spec(version, spec)
    db.session.flush()
    _record("template.imported", version, actor, remote_addr, actor_email=actor_email, source=source,
            new_template=new_template)
    if publish_now:
        publish(version, actor, remote_addr, actor_email=actor_email)
    return Imported(version, new_template, publish_now)


def replace_from_yaml(version: TemplateVersion, spec: TemplateSpec, actor: User, remote_addr: str = "", *,
                      seen_hash: str | None, source: str = "") -> list[dict[str, Any]]:
    """A draft's whole content replaced by an uploaded file (same checks as any edit)."""
    return save(version, spec, actor, remote_addr, seen_hash=seen_hash, page=f"upload {source}".strip())


# --- starting a template ---------------------------------------------------------------------


class NameTaken(DesignerError):
    def __init__(self, name: str):
        super().__init__(f"A template called “{' '.join(name.split())}” already exists: enter a different name")


def _same_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def name_taken(name: str) -> bool:
    """Whether a template, or a version of one, is already called `name` (ignoring case and spacing)."""
    wanted = _same_name(name)
    names = db.session.execute(select(Template.name).union(select(TemplateVersion.name))).scalars()
    return any(_same_name(n or "") == wanted for n in names)


def blank_spec(name: str, organisation: str, section_title: str) -> TemplateSpec:
    """A template started from scratch: the format's defaults, its name and one section.

    Enough to be stored as a draft (`structure_problems`); the publish check then says what it
    still needs (the section has no questions yet, the scales its Evidence Base asks are empty),
    each linked to the page that adds it. (A section with neither questions nor an Evidence Base is
    not a template at all, so the section keeps the format's default: an Evidence Base.)
    """
    key = templateformat.make_key(section_title, fallback="section")
    return TemplateSpec(name=name, organisation=organisation, version=1,
                        sections=[SectionSpec(key=key, title=section_title)])


def shipped_choices() -> list[tuple[str, str, str]]:
    """(slug, name, organisation) of each template shipped with the service, in shipped.txt's order."""
    specs = [(slug, templates.bundled_template_spec(slug)) for slug in templates.bundled_template_slugs()]
    return [(slug, spec.name, spec.organisation) for slug, spec in specs]


def shipped_spec(slug: str) -> TemplateSpec | None:
    return templates.bundled_template_spec(slug) if slug in templates.bundled_template_slugs() else None


def newest_version(template_id: int) -> TemplateVersion | None:
    """The template's newest version, whatever its status: what "Duplicate" copies."""
    return db.session.execute(
        select(TemplateVersion).where(TemplateVersion.template_id == template_id)
        .order_by(TemplateVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def compared_with(version: TemplateVersion) -> TemplateVersion | None:
    """The version a draft's changes are counted from: the newest published version of its template
    (else the newest retired one), never the draft itself."""
    found = db.session.execute(
        select(TemplateVersion).where(TemplateVersion.template_id == version.template_id,
                                      TemplateVersion.id != version.id,
                                      TemplateVersion.status.in_(("published", "retired")))
        .order_by((TemplateVersion.status == "published").desc(), TemplateVersion.number.desc()).limit(1)
    ).scalar_one_or_none()
    return found


def start_template(spec: TemplateSpec, actor: User, remote_addr: str = "", **source: Any) -> TemplateVersion:
    """A new template whose draft version 1 holds `spec`; `source` says where it came from (audited).

    Raises NameTaken (another template has that name) or InvalidSpec.
    """
    spec = spec.copy()
    spec.version = 1
    if name_taken(spec.name):
        raise NameTaken(spec.name)
    problems = templateformat.structure_problems(spec)
    if problems:
        raise InvalidSpec(problems)
    template = Template(slug=_unique_slug(spec.name), name=spec.name, organisation=spec.organisation)
    db.session.add(template)
    db.session.flush()
    version = TemplateVersion(template_id=template.id, number=1, status="draft", name=spec.name,
                              organisation=spec.organisation)
    db.session.add(version)
    db.session.flush()
    templates.write_spec(version, spec)
    db.session.flush()
    _record("template.created", version, actor, remote_addr, **source)
    return version


# --- for the start page -----------------------------------------------------------------


def startable_versions() -> list[TemplateVersion]:
    """The newest published version of each template: what a new assessment can start on."""
    published = db.session.execute(
        select(TemplateVersion).join(Template).where(TemplateVersion.status == "published")
        .order_by(Template.id, TemplateVersion.number.desc())
    ).scalars().all()
    newest: dict[int, TemplateVersion] = {}
    for v in published:
        newest.setdefault(v.template_id, v)
    return list(newest.values())
