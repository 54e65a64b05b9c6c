"""Section contributors: the project lead asks a colleague to write a section

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 21:50:00

section_assignment: one person for a section of an assessment (unique per assessment and section),
who assigned them and when. A new table: nothing stored before changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'section_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('section_key', sa.String(length=100), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('assigned_by_id', sa.Integer(), nullable=True),
        sa.Column('assigned_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assessment_id', 'section_key'),
    )
    op.create_index('ix_section_assignment_assessment_id', 'section_assignment', ['assessment_id'])
    op.create_index('ix_section_assignment_user_id', 'section_assignment', ['user_id'])


def downgrade():
    op.drop_index('ix_section_assignment_user_id', table_name='section_assignment')
    op.drop_index('ix_section_assignment_assessment_id', table_name='section_assignment')
    op.drop_table('section_assignment')
