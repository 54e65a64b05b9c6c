"""Sections ask questions of registered kinds, may have no Evidence Base, and may apply only sometimes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:40:00

Three columns on template_section: `questions` (the section's questions, as JSON: each is read and
written whole with its section), `evidence_base` (whether the section ends with one: every section
did until now, so existing rows get true) and `show_if` (the section's condition; empty: always).
Assessments store the answers in a new revision part per section ("questions:<key>"), which needs
no schema change. Rating scales live in the version's settings (JSON), which needs none either.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite a batch rebuilds the table, and dropping the old
    # one with foreign keys on would delete every category area through ON DELETE CASCADE.
    op.add_column('template_section', sa.Column('questions', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('template_section', sa.Column('evidence_base', sa.Boolean(), nullable=False,
                                                server_default=sa.true()))
    op.add_column('template_section', sa.Column('show_if', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    # SQLite 3.35+ drops a column in place (no table copy, so no cascade).
    op.drop_column('template_section', 'show_if')
    op.drop_column('template_section', 'evidence_base')
    op.drop_column('template_section', 'questions')
