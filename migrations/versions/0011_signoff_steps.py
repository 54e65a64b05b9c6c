"""Sign-off steps: each approval request belongs to a step of the template's sign-off

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:30:00

approval_request.step: the key of the template's sign-off step the approver signs at; every request
made before this belongs to the one step templates had ("sign-off"). approval_request.waiting: asked
at a later step, not told yet. Plain ADD COLUMN (a batch copy of approval_request is not needed).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('approval_request', sa.Column('step', sa.String(length=60), nullable=False,
                                                server_default='sign-off'))
    op.add_column('approval_request', sa.Column('waiting', sa.Boolean(), nullable=False,
                                                server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('approval_request', schema=None) as batch_op:
        batch_op.drop_column('waiting')
        batch_op.drop_column('step')
