"""On PostgreSQL, the database itself refuses two overlapping spells of one state in one
organization (an exclusion constraint over a date range, with btree_gist for the ids).

check_no_overlap() in the services gives the friendly message, but it cannot see a spell
that another transaction is inserting at the same moment. SQLite runs one writer at a time,
so there the service check is enough and nothing is created.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE registry_membership ADD CONSTRAINT membership_no_overlap EXCLUDE USING gist (
    organization_id WITH =,
    country_id WITH =,
    daterange(valid_from, valid_to, '[]') WITH &&
);
"""
DROP = "ALTER TABLE registry_membership DROP CONSTRAINT IF EXISTS membership_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
