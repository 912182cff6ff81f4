"""The offer list ranks from its snapshot (docs/decisions/0012); the SQL relevance reads
the title words through the column filter of ``atlas_offer_fts`` (SQLite) or the
``heavy_document`` column of the matching rows (PostgreSQL). The separate title index
is read by nothing any more, but every write kept it up to date: it goes."""

from importlib import import_module

from django.db import migrations

TRIGGERS_WITHOUT_HEAVY = [
    "CREATE TRIGGER atlas_offer_fts_insert AFTER INSERT ON atlas_offersearchtext BEGIN "
    "INSERT INTO atlas_offer_fts (rowid, heavy, light) "
    "VALUES (new.offer_id, new.heavy, new.light); "
    "END",
    "CREATE TRIGGER atlas_offer_fts_delete AFTER DELETE ON atlas_offersearchtext BEGIN "
    "INSERT INTO atlas_offer_fts (atlas_offer_fts, rowid, heavy, light) "
    "VALUES ('delete', old.offer_id, old.heavy, old.light); END",
    "CREATE TRIGGER atlas_offer_fts_update AFTER UPDATE ON atlas_offersearchtext BEGIN "
    "INSERT INTO atlas_offer_fts (atlas_offer_fts, rowid, heavy, light) "
    "VALUES ('delete', old.offer_id, old.heavy, old.light); "
    "INSERT INTO atlas_offer_fts (rowid, heavy, light) "
    "VALUES (new.offer_id, new.heavy, new.light); "
    "END",
]
# What migration 0003 created (its statements, for the way back; a migration never changes).
_0003 = import_module("kommune360.atlas.migrations.0003_search_text_fulltext")
HEAVY_TABLE = _0003.SQLITE_FORWARD[1]
TRIGGERS_WITH_HEAVY = _0003.SQLITE_FORWARD[2:]
DROP_TRIGGERS = _0003.SQLITE_BACKWARD[:3]
HEAVY_INDEX = _0003.POSTGRES_FORWARD[3]

FORWARD = {
    "sqlite": [
        *DROP_TRIGGERS,
        "DROP TABLE IF EXISTS atlas_offer_heavy_fts",
        *TRIGGERS_WITHOUT_HEAVY,
    ],
    "postgresql": ["DROP INDEX IF EXISTS atlas_offersearchtext_heavy"],
}
BACKWARD = {
    "sqlite": [
        *DROP_TRIGGERS,
        HEAVY_TABLE,
        "INSERT INTO atlas_offer_heavy_fts (atlas_offer_heavy_fts) VALUES ('rebuild')",
        *TRIGGERS_WITH_HEAVY,
    ],
    "postgresql": [HEAVY_INDEX],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("atlas", "0004_offer_import_job")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
