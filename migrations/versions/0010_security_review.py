"""Security review: kept forms belong to a person; sign-in throttling in the database

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:20:00

form_stash.user_id: a form posted after a session ended is kept only for the person whose
session it was (and a bounded number per person); rows kept before this have no owner and are
removed. login_failure and login_lock: sign-in throttling shared by every worker when Redis is
not configured (it used to be counted in each process's memory).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM form_stash")
    with op.batch_alter_table('form_stash', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_form_stash_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_form_stash_user_id_user'), 'user', ['user_id'], ['id'],
                                    ondelete='CASCADE')

    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_key_at', ['key', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)

    op.create_table('login_lock',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_lock'))
    )
    with op.batch_alter_table('login_lock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_lock_until'), ['until'], unique=False)


def downgrade():
    with op.batch_alter_table('login_lock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_lock_until'))
    op.drop_table('login_lock')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))
        batch_op.drop_index('ix_login_failure_key_at')
    op.drop_table('login_failure')
    with op.batch_alter_table('form_stash', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_form_stash_user_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_form_stash_user_id'))
        batch_op.drop_column('user_id')
