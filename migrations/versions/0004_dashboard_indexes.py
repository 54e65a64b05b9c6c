"""Dashboard indexes: newest change first, and current revisions, at 100,000 assessments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 07:50:00

Measured by bench/bench_dashboard.py on PostgreSQL: without them the first page of
"All assessments" sorted every revision (about 180 ms at 100,000); with them it reads
25 rows from the index (under 1 ms).

Also adds, on PostgreSQL, the foreign key from assessment.current_revision_id to revision
that 0001 declared with use_alter: SQLAlchemy leaves such a key out of CREATE TABLE and
Alembic's create_table did not add it afterwards (SQLite has it inline). Found by the test
that compares the migrated database with the models.
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


FK = 'fk_assessment_current_revision_id_revision'


def upgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key(FK, 'assessment', 'revision', ['current_revision_id'], ['id'])
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_updated_at'), ['updated_at'], unique=False)
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_current_revision_id'), ['current_revision_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_current_revision_id'))
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_updated_at'))
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(FK, 'assessment', type_='foreignkey')
