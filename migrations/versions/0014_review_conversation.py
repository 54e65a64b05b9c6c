"""A review conversation: comments on questions and list items, replies, and each submission's answers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:00:00

review_comment gains `question` and `item` (plain added columns: other tables reference it, so no
batch rebuild). Every comment stored before is the first comment of a thread with no replies yet,
about the row or part it was always about: nothing to convert.
review_reply: the replies of a thread. review_round: one submission of a revision, with what the
authors said had changed and the answers as submitted.
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('review_comment', sa.Column('question', sa.String(length=100), nullable=False, server_default=''))
    op.add_column('review_comment', sa.Column('item', sa.String(length=100), nullable=False, server_default=''))
    op.create_table(
        'review_reply',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['review_comment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_review_reply_comment_id', 'review_reply', ['comment_id'])
    op.create_table(
        'review_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('what_changed', sa.Text(), nullable=False),
        sa.Column('parts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_review_round_revision_id', 'review_round', ['revision_id'])


def downgrade():
    op.drop_index('ix_review_round_revision_id', table_name='review_round')
    op.drop_table('review_round')
    op.drop_index('ix_review_reply_comment_id', table_name='review_reply')
    op.drop_table('review_reply')
    # SQLite 3.35+ drops plain columns in place (no table rebuild).
    op.drop_column('review_comment', 'item')
    op.drop_column('review_comment', 'question')
