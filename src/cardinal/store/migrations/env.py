"""Alembic environment: runs migrations on the connection Cardinal hands over."""

from __future__ import annotations

from alembic import context

from cardinal.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Cardinal's migrations run through `cardinal db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
