"""Saving never loses work: each part's recent versions, and form stashes of invalid input

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 15:00:00

revision_part_version: a part as each save stored it (the latest few per part), so that a save
from a page loaded at an older version is merged from that version row by row.
form_stash.kind: "ended" (the existing stashes: posted after the session ended) or "invalid"
(input a save could not keep, shown on the page until it is saved). A plain added column: no
table is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'revision_part_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('part_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('saved_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['part_id'], ['revision_part.id'], ondelete='CASCADE',
                                name=op.f('fk_revision_part_version_part_id_revision_part')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_revision_part_version')),
        sa.UniqueConstraint('part_id', 'version', name=op.f('uq_revision_part_version_part_id')),
    )
    op.create_index(op.f('ix_revision_part_version_part_id'), 'revision_part_version', ['part_id'])
    op.add_column('form_stash', sa.Column('kind', sa.String(length=20), nullable=False, server_default='ended'))


def downgrade():
    with op.batch_alter_table('form_stash') as batch_op:
        batch_op.drop_column('kind')
    op.drop_index(op.f('ix_revision_part_version_part_id'), table_name='revision_part_version')
    op.drop_table('revision_part_version')
