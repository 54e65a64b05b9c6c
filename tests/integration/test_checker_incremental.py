"""The checker run after a save keeps work done on the parts not saved (the text of each section's rows,
kept under the part's version: cia/checks/rules/_walk.py), and a save keeps the part it stored decoded.
Whatever was kept, its findings must be those of a full run on the answers as the database holds them,
after every kind of edit, including edits whose findings depend on other parts (an officer named in
one section's mitigations is not a member of the public in another's risks)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cia.checks import PUBLICATION, CheckConfig, Report, run_checks
from cia.data import assessments, imports
from cia.extensions import db
from cia.models import RevisionPart, User
from tests.corpus.corpus import cases, load_template


def _answered(section) -> list:
    return [row for row in section.rows if row.risks and row.risks[0].text and row.risks[0].mitigations]


def _editable(case) -> bool:
    """Two sections with two rows each that have a risk with a mitigation: what the edits below change."""
    return len([s for s in case.assessment.sections if len(_answered(s)) >= 2]) >= 2


#: Four of the corpus's CIAs, short and long, with rows to edit.
_ELIGIBLE = [c for c in cases(load_template()) if _editable(c)]
CASES = [_ELIGIBLE[n] for n in sorted({0, len(_ELIGIBLE) // 3, 2 * len(_ELIGIBLE) // 3, len(_ELIGIBLE) - 1})]


def _afresh(revision) -> tuple:
    """The assessment decoded from the database's JSON now, and a run of every rule on it that keeps nothing."""
    names = db.session.execute(select(RevisionPart.part).where(RevisionPart.revision_id == revision.id)).scalars()
    stored = {name: assessments.load_part(revision, name) for name in names}  # read and decoded from the row
    data = assessments.load_assessment(revision, stored)
    return data, {config.stage: run_checks(data, assessments.template_for(revision), config) for config in _CONFIGS}


_CONFIGS = (CheckConfig(), CheckConfig(stage=PUBLICATION))


def _outcomes(report: Report) -> list:
    return [(o.rule.id, o.enabled, o.applicable, o.findings) for o in report.outcomes]


def _assert_same_as_a_full_run(revision) -> list:
    data, full = _afresh(revision)
    for config in _CONFIGS:
        checked, report = assessments.check(revision, config)
        assert checked == data  # the part a save kept decoded is the part as stored
        assert report.findings == full[config.stage].findings
        assert _outcomes(report) == _outcomes(full[config.stage])
        assert report.acknowledged == full[config.stage].acknowledged
    return full[CheckConfig().stage].findings


def _edit(revision, name: str, change, owner: User) -> None:
    loaded = assessments.load_part(revision, name)
    change(loaded.data)
    assert assessments.save_part(revision, name, loaded.data, loaded.version, owner).ok
    db.session.commit()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_run_after_each_save_finds_what_a_full_run_finds(app, users, case):
    with app.app_context():
        owner = db.session.get(User, users.author)
        revision = imports.import_assessment(case.assessment, owner).current_revision
        db.session.commit()
        before = _assert_same_as_a_full_run(revision)
        sections = [s for s in case.assessment.sections if len(_answered(s)) >= 2]
        first, other = sections[0].key, sections[-1].key

        def copy_a_risk(part):  # the same risk in two rows of one section: boilerplate (CIA-R13)
            rows = _answered(part)
            rows[1].risks[0].text = rows[0].risks[0].text

        _edit(revision, f"section:{first}", copy_a_risk, owner)
        after_copy = _assert_same_as_a_full_run(revision)
        assert after_copy != before

        def name_a_resident(part):  # a member of the public, named in another section (CIA-R09)
            mitigation = _answered(part)[0].risks[0].mitigations[0]
            mitigation.text += " Mrs Quennell has asked to be kept informed."

        _edit(revision, f"section:{other}", name_a_resident, owner)
        named = _assert_same_as_a_full_run(revision)
        assert any("Mrs Quennell" in f.message for f in named)

        def make_her_an_officer(part):  # owning a mitigation in the first section makes her an officer
            _answered(part)[0].risks[0].mitigations[0].owner = "Jo Quennell, Transport Manager"

        _edit(revision, f"section:{first}", make_her_an_officer, owner)
        officer = _assert_same_as_a_full_run(revision)
        assert not any("Mrs Quennell" in f.message for f in officer)

        def undefined_acronym(details):  # a page that is not a section (CIA-R15 reads it first)
            details.summary = "The QZX programme changes. " + details.summary

        _edit(revision, "details", undefined_acronym, owner)
        assert any("QZX" in f.message for f in _assert_same_as_a_full_run(revision))

        def put_back(part):  # the first section's risks as they were: the copy's finding goes
            was = next(s for s in case.assessment.sections if s.key == first)
            for row, old in zip(part.rows, was.rows, strict=True):
                row.risks = old.risks

        copied = [f for f in after_copy if f not in before]
        assert copied
        _edit(revision, f"section:{first}", put_back, owner)
        assert not set(copied) & set(_assert_same_as_a_full_run(revision))
