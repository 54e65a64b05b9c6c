"""Moving a draft assessment to the newest published version of its template.

Rows are matched by their stable category-area keys. Nothing the author wrote is dropped:
- a row whose category area the new version still has keeps its answers (matched);
- a category area new in this version gets an empty row (added);
- a row whose category area the new version no longer has becomes one of the author's own
  rows, with the old area's title and question, when it holds any answer (kept);
- the author's own rows stay as they are;
- a section the new version does not have keeps its stored answers untouched (its parts are
  not deleted, and the JSON export still carries them); the report names it and its rows so
  the author can copy what they need. Moving back to a version with that section shows it again.
Evidence Base answers stay with their section; a likelihood or size that is not on the new
version's scale is cleared and reported ("choose again").
See docs/decisions/0007-template-versions.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from cia.data import assessments, audit, parts, templates
from cia.domain import RowAnswer, SectionSpec, TemplateSpec, blank_section
from cia.extensions import db
from cia.kinds import impact_row
from cia.models import Revision, RevisionPart, TemplateVersion, User, utcnow

#: Key prefix of rows kept from a category area the new version no longer has.
KEPT_PREFIX = "own-kept-"
MOVABLE_STATES = assessments.EDITABLE_STATES


class CannotMove(Exception):
    """The assessment cannot be moved now; the message says why."""


@dataclass
class MovedRow:
    section: str  # section title
    title: str  # row title
    note: str = ""


@dataclass
class MovePlan:
    source: TemplateVersion
    target: TemplateVersion
    matched: list[MovedRow] = field(default_factory=list)
    added: list[MovedRow] = field(default_factory=list)
    kept: list[MovedRow] = field(default_factory=list)  # rows of removed category areas, now own rows
    own: list[MovedRow] = field(default_factory=list)  # the author's own rows, carried over
    dropped_blank: list[MovedRow] = field(default_factory=list)  # empty rows of removed areas
    kept_sections: list[MovedRow] = field(default_factory=list)  # answers of sections the new version lacks
    new_sections: list[str] = field(default_factory=list)
    cleared_choices: list[MovedRow] = field(default_factory=list)
    #: part name -> new stored dict (only parts that change)
    writes: dict[str, dict] = field(default_factory=dict)

    def summary(self) -> dict:
        def lines(items: list[MovedRow]) -> list[str]:
            return [f"{i.section}: {i.title}" + (f" ({i.note})" if i.note else "") for i in items]

        return {"from_version_id": self.source.id, "from_version": self.source.number,
                "to_version_id": self.target.id, "to_version": self.target.number,
                "matched": lines(self.matched), "added": lines(self.added), "kept": lines(self.kept),
                "own": lines(self.own), "dropped_blank": lines(self.dropped_blank),
                "kept_sections": lines(self.kept_sections), "new_sections": self.new_sections,
                "cleared_choices": lines(self.cleared_choices)}


def target_for(revision: Revision) -> TemplateVersion | None:
    """The newest published version of the template the revision is on, if newer than its own."""
    current = db.session.get(TemplateVersion, revision.template_version_id)
    newest = db.session.execute(
        select(TemplateVersion).where(TemplateVersion.template_id == current.template_id,
                                      TemplateVersion.status == "published")
        .order_by(TemplateVersion.number.desc()).limit(1)
    ).scalar_one_or_none()
    if newest is None or newest.id == current.id or newest.number < current.number:
        return None
    return newest


def check_movable(revision: Revision) -> TemplateVersion:
    if revision.status not in MOVABLE_STATES:
        raise CannotMove(f"This assessment is {revision.status.replace('_', ' ')}: only a draft (or one with "
                         "changes requested, or withdrawn) can move to a new template version")
    target = target_for(revision)
    if target is None:
        raise CannotMove("This assessment already uses the newest published version of its template")
    return target


_has_answer = impact_row.has_answer


def plan(revision: Revision) -> MovePlan:
    """What moving would do, without changing anything."""
    target = check_movable(revision)
    source = db.session.get(TemplateVersion, revision.template_version_id)
    old_spec = templates.spec_for_version(source.id)
    new_spec = templates.spec_for_version(target.id)
    stored = {name: loaded.data.to_dict() for name, loaded in assessments.part_versions(revision).items()}
    result = MovePlan(source, target)
    for section in new_spec.sections:
        _plan_section(result, section, old_spec.section(section.key), stored)
        _plan_evidence(result, section, new_spec, stored)
    for old_section in old_spec.sections:
        if new_spec.section(old_section.key) is None:
            rows = parts.SectionRows.from_dict(stored.get(f"section:{old_section.key}") or {}).rows
            answered = [r for r in rows if _has_answer(r)]
            titles = [_title(old_section, r) for r in answered] or ["(no answers)"]
            result.kept_sections += [MovedRow(old_section.title, t) for t in titles]
    return result


def _title(spec: SectionSpec | None, row: RowAnswer) -> str:
    area = spec.area(row.key) if spec else None
    return area.title if area and not row.custom else (row.title or row.key)


def _plan_section(result: MovePlan, section: SectionSpec, old: SectionSpec | None, stored: dict) -> None:
    name = f"section:{section.key}"
    if name not in stored:
        result.new_sections.append(section.title)
        result.added += [MovedRow(section.title, a.title) for a in section.category_areas]
        result.writes[name] = parts.SectionRows(rows=blank_section(section).rows).to_dict()
        result.writes[f"evidence:{section.key}"] = parts.SectionEvidence().to_dict()
        return
    rows = parts.SectionRows.from_dict(stored[name]).rows
    by_key = {r.key: r for r in rows if not r.custom}
    template_rows, own_rows = [], []
    for area in section.category_areas:
        row = by_key.pop(area.key, None)
        if row is None:
            result.added.append(MovedRow(section.title, area.title))
            row = RowAnswer(key=area.key)
        else:
            result.matched.append(MovedRow(section.title, area.title))
        template_rows.append(row)
    taken = {r.key for r in rows}
    for row in rows:
        if row.custom:
            own_rows.append(row)
            result.own.append(MovedRow(section.title, row.title or "Untitled row"))
        elif row.key in by_key:  # a template row whose category area this version does not have
            old_area = old.area(row.key) if old else None
            title = old_area.title if old_area else (row.title or row.key)
            if not _has_answer(row):
                result.dropped_blank.append(MovedRow(section.title, title))
                continue
            key, n = f"{KEPT_PREFIX}{row.key}", 2
            while key in taken:
                key, n = f"{KEPT_PREFIX}{row.key}-{n}", n + 1
            taken.add(key)
            kept = row.copy()
            kept.key, kept.custom = key, True
            kept.title = title
            kept.question = old_area.question if old_area else row.question
            own_rows.append(kept)
            result.kept.append(MovedRow(section.title, title, "now one of your own rows"))
    new_rows = parts.SectionRows(rows=template_rows + own_rows).to_dict()
    if new_rows != stored[name]:
        result.writes[name] = new_rows


def _plan_evidence(result: MovePlan, section: SectionSpec, spec: TemplateSpec, stored: dict) -> None:
    name = f"evidence:{section.key}"
    if name not in stored:
        if name not in result.writes:
            result.writes[name] = parts.SectionEvidence().to_dict()
        return
    evidence = parts.SectionEvidence.from_dict(stored[name])
    changed = False
    for attr, scale, what in (("likelihood", spec.likelihood_scale, "likelihood"),
                              ("size", spec.impact_scale, "size of impact")):
        value = getattr(evidence.evidence, attr)
        if value and value not in {o.key for o in scale}:
            result.cleared_choices.append(MovedRow(section.title, f"Evidence Base {what}",
                                                   f'"{value}" is not on the new scale: choose again'))
            setattr(evidence.evidence, attr, "")
            changed = True
    if changed:
        result.writes[name] = evidence.to_dict()


def move(revision: Revision, actor: User, remote_addr: str = "") -> MovePlan:
    """Move the revision to the newest published version (in the caller's transaction)."""
    # Lock the revision's parts for the move (PostgreSQL); SQLite's BEGIN IMMEDIATE serialises writers.
    db.session.execute(select(Revision.id).where(Revision.id == revision.id).with_for_update())
    result = plan(revision)
    rows = {r.part: r for r in db.session.execute(
        select(RevisionPart).where(RevisionPart.revision_id == revision.id)).scalars()}
    now = utcnow()
    for name, data in result.writes.items():
        row = rows.get(name)
        if row is None:
            db.session.add(RevisionPart(revision_id=revision.id, part=name, data=data, version=1,
                                        updated_at=now, updated_by_id=actor.id))
        else:
            # A new part version: a page opened before the move gets the conflict page, not an overwrite.
            row.data, row.version, row.updated_at, row.updated_by_id = data, row.version + 1, now, actor.id
    revision.template_version_id = result.target.id
    revision.updated_at = now
    db.session.flush()
    db.session.expire(revision, ["template_version"])
    assessments.check(revision)
    audit.record("template.assessment_moved", actor=actor, remote_addr=remote_addr, object_type="assessment",
                 object_id=revision.assessment_id, assessment_id=revision.assessment_id, revision=revision.number,
                 details=result.summary())
    return result
