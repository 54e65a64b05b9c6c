"""Templates and their versions: reading them as TemplateSpec, seeding, storing."""

from __future__ import annotations

from importlib import resources
from threading import Lock

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cia.domain import CategoryArea, Condition, Question, SectionSpec, TemplateSpec
from cia.extensions import db
from cia.models import CategoryAreaRow, Revision, Template, TemplateSection, TemplateVersion, utcnow

_SETTINGS_FIELDS = (
    "header_fields", "completing_heading", "completing_guidance", "columns_intro", "columns",
    "please_note_label", "please_note", "sections_intro", "evidence_base_label",
    "evidence_base_guidance", "evidence_base_examples", "closing_instruction",
    "likelihood_scale", "impact_scale", "rule_settings", "document_title", "team_role", "staff_guidance",
    "scales", "signoff_steps", "standard_pages",
    # The council's lists: a version stored before these were template data has none (the defaults).
    "reference_prefix", "decision_routes", "project_sizes", "publication_statuses", "evidence_types", "directions",
    "community_impact",
)  # fmt: skip


class TemplateVersionIsFrozen(Exception):
    """A published or retired version is immutable."""


def bundled_template_slugs() -> list[str]:
    """The templates shipped in cia/template_data (one YAML file each, named by its slug), in the
    order its shipped.txt gives."""
    listing = resources.files("cia.template_data").joinpath("shipped.txt").read_text(encoding="utf-8")
    return [line.strip() for line in listing.splitlines() if line.strip() and not line.startswith("#")]


def bundled_template_spec(slug: str) -> TemplateSpec:
    text = resources.files("cia.template_data").joinpath(f"{slug}.yaml").read_text(encoding="utf-8")
    return TemplateSpec.from_dict(yaml.safe_load(text))


# Published versions never change, so their spec is cached per process.
_spec_cache: dict[int, TemplateSpec] = {}
_spec_cache_lock = Lock()


def spec_for_version(version_id: int) -> TemplateSpec:
    cached = _spec_cache.get(version_id)
    if cached is not None:
        return cached
    version = db.session.execute(
        select(TemplateVersion)
        .where(TemplateVersion.id == version_id)
        .options(selectinload(TemplateVersion.sections).selectinload(TemplateSection.category_areas))
    ).scalar_one()
    spec = _to_spec(version)
    if version.status != "draft":
        with _spec_cache_lock:
            _spec_cache[version_id] = spec
    return spec


def _to_spec(version: TemplateVersion) -> TemplateSpec:
    data = dict(version.settings or {})
    data.update(name=version.name, organisation=version.organisation, version=version.number)
    spec = TemplateSpec.from_dict(data)
    spec.sections = [
        SectionSpec(
            key=s.key,
            title=s.title,
            intro=s.intro,
            prompts_label=s.prompts_label,
            prompts=list(s.prompts or []),
            row_label_header=s.row_label_header,
            allow_custom_rows=s.allow_custom_rows,
            legislation=list(s.legislation or []),
            mandatory_engagement=s.mandatory_engagement,
            evidence_base_label=s.evidence_base_label,
            evidence_base_guidance=s.evidence_base_guidance,
            staff_row_key=s.staff_row_key,
            questions=[Question.from_dict(q) for q in s.questions or []],
            evidence_base=s.evidence_base,
            show_if=Condition.from_dict(s.show_if or {}),
            end_if=Condition.from_dict(s.end_if or {}),
            end_message=s.end_message or "",
            category_areas=[
                CategoryArea(key=a.key, title=a.title, question=a.question, guidance=a.guidance)
                for a in s.category_areas
            ],
        )
        for s in version.sections
    ]
    return spec


def write_spec(version: TemplateVersion, spec: TemplateSpec) -> None:
    """Replace a draft version's content with `spec`."""
    if version.status != "draft":
        raise TemplateVersionIsFrozen(f"version {version.number} is {version.status} and cannot change")
    full = spec.to_dict()
    version.name = spec.name
    version.organisation = spec.organisation
    version.settings = {k: full[k] for k in _SETTINGS_FIELDS}
    version.sections.clear()
    db.session.flush()
    for i, s in enumerate(spec.sections):
        section = TemplateSection(
            key=s.key,
            position=i,
            title=s.title,
            intro=s.intro,
            prompts_label=s.prompts_label,
            prompts=list(s.prompts),
            row_label_header=s.row_label_header,
            allow_custom_rows=s.allow_custom_rows,
            legislation=list(s.legislation),
            mandatory_engagement=s.mandatory_engagement,
            evidence_base_label=s.evidence_base_label,
            evidence_base_guidance=s.evidence_base_guidance,
            staff_row_key=s.staff_row_key,
            questions=[q.to_dict() for q in s.questions],
            evidence_base=s.evidence_base,
            show_if=s.show_if.to_dict(),
            end_if=s.end_if.to_dict(),
            end_message=s.end_message,
        )
        section.category_areas = [
            CategoryAreaRow(key=a.key, position=j, title=a.title, question=a.question, guidance=a.guidance)
            for j, a in enumerate(s.category_areas)
        ]
        version.sections.append(section)


def seed_bundled_templates(slugs: list[str] | None = None) -> list[tuple[TemplateVersion, bool]]:
    """Load each shipped template (or those named) as its published version 1, once.

    Returns each version and whether it was created now (False when it was there already).
    """
    return [_seed_bundled(slug) for slug in (slugs if slugs is not None else bundled_template_slugs())]


def _seed_bundled(slug: str) -> tuple[TemplateVersion, bool]:
    existing = db.session.execute(
        select(TemplateVersion)
        .join(Template)
        .where(Template.slug == slug, TemplateVersion.number == 1)
    ).scalar_one_or_none()
    if existing is not None:
        return existing, False
    spec = bundled_template_spec(slug)
    template = Template(slug=slug, name=spec.name, organisation=spec.organisation)
    version = TemplateVersion(template=template, number=1, status="draft", name=spec.name)
    db.session.add_all([template, version])
    write_spec(version, spec)
    version.status = "published"
    version.published_at = utcnow()
    db.session.flush()
    return version, True


def newest_published_version() -> TemplateVersion | None:
    """The version new assessments start on unless one is chosen: the newest published version
    of the installation's first template (the first one seeded or created)."""
    return db.session.execute(
        select(TemplateVersion)
        .join(Template)
        .where(TemplateVersion.status == "published")
        .order_by(Template.id, TemplateVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def installation_organisation(configured: str) -> str:
    """The council running this service: the setting when given, else the organisation of the
    installation's first template (what `flask cia seed` loaded)."""
    if configured:
        return configured
    return db.session.execute(
        select(Template.organisation).order_by(Template.id).limit(1)
    ).scalar_one_or_none() or ""


def usage_counts() -> dict[int, int]:
    """{template_version_id: number of revisions pinned to it}."""
    rows = db.session.execute(
        select(Revision.template_version_id, func.count()).group_by(Revision.template_version_id)
    )
    return dict(rows.all())
