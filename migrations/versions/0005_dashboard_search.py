"""Dashboard search: trigram indexes for "contains" filters on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 08:00:00

The dashboard's search (proposal name) and directorate filter match text anywhere in the
value (LIKE '%…%'), which a B-tree index cannot serve: at 100,000 assessments each read
every revision twice (the page and its count), about 80 ms each. pg_trgm's GIN indexes on
the lower-cased values serve them directly. pg_trgm is a trusted extension (PostgreSQL 13+),
so the database owner can create it; where it is not available the indexes are skipped and
the filters still work, only slower. SQLite has no such index: nothing changes there.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: Index name -> column of `revision`. Also listed in tests (not in the models: PostgreSQL only).
TRIGRAM_INDEXES = {
    'ix_revision_proposal_name_trgm': 'proposal_name',
    'ix_revision_directorate_trgm': 'directorate',
}


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
    if available is None:
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text('CREATE EXTENSION IF NOT EXISTS pg_trgm'))
    except sa.exc.DBAPIError:  # not allowed to: the filters work without the indexes
        return
    for name, column in TRIGRAM_INDEXES.items():
        op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON revision USING gin (lower({column}) gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in TRIGRAM_INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {name}')
