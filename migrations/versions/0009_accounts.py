"""Accounts: council sign-in (OpenID Connect subject) and single-use links to set a password

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:10:00

`user.oidc_subject` links an account to the council's OpenID provider once the person has
signed in through it (unique: one account per person at the provider). `account_link` holds
invitations and password resets: only the SHA-256 of each random token is stored, with when
it expires and when it was used.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN and a unique index, never a batch copy of `user`: on SQLite that rebuilds the
    # table, which fails (or cascades deletes) once other tables refer to its rows.
    op.add_column('user', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.create_index(op.f('ix_user_oidc_subject'), 'user', ['oidc_subject'], unique=True)

    op.create_table('account_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_account_link_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_link_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_link_token_hash'))
    )
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_link_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_link_user_id'))
    op.drop_table('account_link')
    op.drop_index(op.f('ix_user_oidc_subject'), table_name='user')
    op.drop_column('user', 'oidc_subject')
