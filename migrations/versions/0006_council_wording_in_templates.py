"""Council wording out of the code: templates carry it, and list the rules they use

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:10:00

Until now the code itself supplied one council's wording to every template version: the
documents' title, the Project Team role question ("District Commissioning Lead"), the staff
page's guidance, the sentence each checker rule rests on, two internal host names and three
abbreviations (now the `terms` of rules CIA-R10 and CIA-R15); and a rule a version did not list ran
as if it were on. Template versions now
carry all of this as data (docs/template-format.md), and a rule a version does not list is off.

So that nothing already stored changes, every version stored before this migration is given
exactly what the code used to supply: every rule that existed then (CIA-R01 to CIA-R16), on
unless the version switched it off, with the sentence it was shown with; the document title;
the team role, where a section required people to be engaged; the staff guidance; the host
names and abbreviations. Answers recorded under the old field name for the team role
(`is_dcl`) move to `has_team_role`, in every revision, approved ones included: the value is
unchanged, only its name.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

RULE_IDS = tuple(f'CIA-R{n:02d}' for n in range(1, 17))
SENTENCES = {
    'CIA-R01': (
        'Where no major impacts have been identified, please state N/A.'
    ),
    'CIA-R02': (
        'Set out any recommendations as to how the benefits will be maximised and the risks '
        'minimised.'
    ),
    'CIA-R03': (
        'Which groups of people will be impacted by the proposed policy, service or project?'
    ),
    'CIA-R04': (
        'Evidence Base: (Evidence used/ likelihood/ size of impact)'
    ),
    'CIA-R05': (
        'Project Manager (if applicable) or Lead:'
    ),
    'CIA-R06': (
        'A good CIA will involve input from more than one person.'
    ),
    'CIA-R07': (
        "District Commissioning Leads (DCL's) have a great deal of knowledge about their relevant "
        'locality and they must be engaged with as part of your Project Team at an early stage of '
        'the process.'
    ),
    'CIA-R08': (
        'Engagement and/or consultation should take place with appropriate and representative '
        'groups of people that are most likely to be affected. This must then be used to help shape'
        ' the design/outcomes of the project.'
    ),
    'CIA-R09': (
        'Due to the publication of CIAs, it is advisable not to record personal details of members '
        'of the public, such as names or addresses.'
    ),
    'CIA-R10': (
        'The full CIA document should be submitted as a Background Paper.'
    ),
    'CIA-R11': (
        'If the proposal affects SCC staff, consider the workforce profile compared against the '
        'protected characteristics pre and post change, the impact of job losses, available support'
        ' for staff, and HR protocols.'
    ),
    'CIA-R12': (
        'This template should be used to support the development of a proposal during the planning '
        "stage, therefore supporting the council's approach of Achieving Commissioning Excellence."
    ),
    'CIA-R13': (
        'Think about the impact the proposal may have on each of the different category areas, and '
        'identify the benefits of each decision.'
    ),
    'CIA-R14': (
        'How certain are you about the assessment of each potential impact, and what evidence have '
        'you used to arrive at the decision?'
    ),
    'CIA-R15': (
        "For CIAs that are going to Cabinet, only the 'Checklist and Executive Summary' should be "
        'submitted as part of the Cabinet Papers.'
    ),
    'CIA-R16': (
        'Please consider the Care Act 2014 and the Health and Social Care Act 2012.'
    ),
}
OLD_TITLES = {'CIA-R07': 'District Commissioning Leads are engaged at an early stage'}
DOCUMENT_TITLE = 'Community Impact Assessment'
TEAM_ROLE = {
    'name': 'District Commissioning Lead',
    'plural': 'District Commissioning Leads',
    'question': 'Are they a District Commissioning Lead (DCL)?',
    'guidance': ('District Commissioning Leads (DCLs) must be engaged with as part of your Project Team at '
                 'an early stage of the process.'),
}
STAFF_GUIDANCE = (
    'If the proposal affects SCC staff, consider the workforce profile compared against the protected '
    'characteristics pre and post change, the impact of job losses, available support for staff, and HR '
    'protocols.'
)
#: The rules' own words the code used to supply: an internal host name, three abbreviations.
TERMS = {'CIA-R10': ['staffordshire.local'], 'CIA-R15': ['SCC', 'DCL', 'DCLs']}

template_version = sa.table(
    'template_version', sa.column('id', sa.Integer), sa.column('settings', sa.JSON),
)
template_section = sa.table(
    'template_section', sa.column('version_id', sa.Integer), sa.column('mandatory_engagement', sa.Text),
)
revision_part = sa.table(
    'revision_part', sa.column('id', sa.Integer), sa.column('part', sa.String), sa.column('data', sa.JSON),
)


def with_council_wording(settings: dict, requires_engagement: bool) -> dict:
    """A stored version's settings with what the code used to supply for it."""
    out = dict(settings or {})
    rules = {k: dict(v) for k, v in (out.get('rule_settings') or {}).items() if isinstance(v, dict)}
    for rule_id in RULE_IDS:
        rule = rules.setdefault(rule_id, {'enabled': True, 'severity': ''})
        rule.setdefault('enabled', True)
        rule.setdefault('severity', '')
        if not rule.get('sentence'):
            rule['sentence'] = SENTENCES[rule_id]
        if rule_id in OLD_TITLES and not rule.get('title'):
            rule['title'] = OLD_TITLES[rule_id]
        if rule_id in TERMS:
            rule['terms'] = list(dict.fromkeys([*(rule.get('terms') or []), *TERMS[rule_id]]))
    out['rule_settings'] = rules
    out.setdefault('document_title', DOCUMENT_TITLE)
    if requires_engagement and not (out.get('team_role') or {}).get('name'):
        out['team_role'] = dict(TEAM_ROLE)
    out.setdefault('staff_guidance', STAFF_GUIDANCE)
    return out


def renamed_team_field(data: dict, old: str, new: str) -> dict | None:
    """The team part with each member's `old` field renamed to `new`; None when nothing changes."""
    members = (data or {}).get('members')
    if not isinstance(members, list) or not any(isinstance(m, dict) and old in m for m in members):
        return None
    moved = [{(new if k == old else k): v for k, v in m.items()} if isinstance(m, dict) else m for m in members]
    return {**data, 'members': moved}


def upgrade():
    bind = op.get_bind()
    engaged = {row.version_id for row in bind.execute(
        sa.select(template_section.c.version_id).where(sa.func.length(sa.func.trim(
            template_section.c.mandatory_engagement)) > 0))}
    for row in bind.execute(sa.select(template_version.c.id, template_version.c.settings)).all():
        bind.execute(template_version.update().where(template_version.c.id == row.id)
                     .values(settings=with_council_wording(row.settings, row.id in engaged)))
    _rename_team_field('is_dcl', 'has_team_role')


def downgrade():
    _rename_team_field('has_team_role', 'is_dcl')


def _rename_team_field(old: str, new: str) -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(revision_part.c.id, revision_part.c.data)
                            .where(revision_part.c.part == 'team')).all():
        moved = renamed_team_field(row.data, old, new)
        if moved is not None:
            bind.execute(revision_part.update().where(revision_part.c.id == row.id).values(data=moved))
