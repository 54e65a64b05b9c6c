"""A section may end the assessment (screening): its condition and what authors then see

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 18:50:00

Two columns on template_section: `end_if` (the condition, as JSON; empty: never) and `end_message`
(the words authors see in the task list when the assessment ends after the section). Every section
stored before ends nothing, which is what the defaults say.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite a batch rebuilds the table, and dropping the old
    # one with foreign keys on would delete every category area through ON DELETE CASCADE.
    op.add_column('template_section', sa.Column('end_if', sa.JSON(), nullable=False, server_default='{}'))
    op.add_column('template_section', sa.Column('end_message', sa.Text(), nullable=False, server_default=''))


def downgrade():
    # SQLite 3.35+ drops a column in place (no table copy, so no cascade).
    op.drop_column('template_section', 'end_message')
    op.drop_column('template_section', 'end_if')
