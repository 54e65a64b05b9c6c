"""Link checks: the last result of fetching each public link of current assessments

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:30:00

`flask cia check-links` and the administrators' Link check page record here what happened
when a link was fetched (ok, dead, unreachable or refused). Links found dead (404, 410, DNS
failure) are shown as advice on the assessments that hold them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('link_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_check')),
    sa.UniqueConstraint('url', name=op.f('uq_link_check_url'))
    )
    with op.batch_alter_table('link_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_check_outcome'), ['outcome'], unique=False)


def downgrade():
    with op.batch_alter_table('link_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_check_outcome'))

    op.drop_table('link_check')
