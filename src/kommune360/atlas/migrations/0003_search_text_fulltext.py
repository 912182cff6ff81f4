"""The search index moves from one row per stem (OfferTerm) to one row per offer
(OfferSearchText) under the database's own full-text index (docs/decisions/0011):
an FTS5 table kept in step by triggers on SQLite, a generated weighted tsvector with a
GIN index on PostgreSQL. The stems already indexed are carried over."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    # External content: FTS5 reads heavy/light from atlas_offersearchtext; rowid = offer id.
    "CREATE VIRTUAL TABLE atlas_offer_fts USING fts5(heavy, light, "
    "content='atlas_offersearchtext', content_rowid='offer_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    # The title and provider words alone, for the relevance: its own small index.
    "CREATE VIRTUAL TABLE atlas_offer_heavy_fts USING fts5(heavy, "
    "content='atlas_offersearchtext', content_rowid='offer_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER atlas_offer_fts_insert AFTER INSERT ON atlas_offersearchtext BEGIN "
    "INSERT INTO atlas_offer_fts (rowid, heavy, light) VALUES (new.offer_id, new.heavy, new.light); "
    "INSERT INTO atlas_offer_heavy_fts (rowid, heavy) VALUES (new.offer_id, new.heavy); "
    "END",
    "CREATE TRIGGER atlas_offer_fts_delete AFTER DELETE ON atlas_offersearchtext BEGIN "
    "INSERT INTO atlas_offer_fts (atlas_offer_fts, rowid, heavy, light) "
    "VALUES ('delete', old.offer_id, old.heavy, old.light); "
    "INSERT INTO atlas_offer_heavy_fts (atlas_offer_heavy_fts, rowid, heavy) "
    "VALUES ('delete', old.offer_id, old.heavy); END",
    "CREATE TRIGGER atlas_offer_fts_update AFTER UPDATE ON atlas_offersearchtext BEGIN "
    "INSERT INTO atlas_offer_fts (atlas_offer_fts, rowid, heavy, light) "
    "VALUES ('delete', old.offer_id, old.heavy, old.light); "
    "INSERT INTO atlas_offer_heavy_fts (atlas_offer_heavy_fts, rowid, heavy) "
    "VALUES ('delete', old.offer_id, old.heavy); "
    "INSERT INTO atlas_offer_fts (rowid, heavy, light) VALUES (new.offer_id, new.heavy, new.light); "
    "INSERT INTO atlas_offer_heavy_fts (rowid, heavy) VALUES (new.offer_id, new.heavy); "
    "END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS atlas_offer_fts_insert",
    "DROP TRIGGER IF EXISTS atlas_offer_fts_delete",
    "DROP TRIGGER IF EXISTS atlas_offer_fts_update",
    "DROP TABLE IF EXISTS atlas_offer_fts",
    "DROP TABLE IF EXISTS atlas_offer_heavy_fts",
]
POSTGRES_FORWARD = [
    # Stripped (no positions, no weights): the smallest tsvector, the fastest @@.
    "ALTER TABLE atlas_offersearchtext ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "strip(to_tsvector('simple', heavy || ' ' || light))) STORED",
    "CREATE INDEX atlas_offersearchtext_document ON atlas_offersearchtext USING gin (document)",
    # The title and provider words alone, for the relevance.
    "ALTER TABLE atlas_offersearchtext ADD COLUMN heavy_document tsvector GENERATED ALWAYS AS ("
    "strip(to_tsvector('simple', heavy))) STORED",
    "CREATE INDEX atlas_offersearchtext_heavy ON atlas_offersearchtext "
    "USING gin (heavy_document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS atlas_offersearchtext_heavy",
    "ALTER TABLE atlas_offersearchtext DROP COLUMN IF EXISTS heavy_document",
    "DROP INDEX IF EXISTS atlas_offersearchtext_document",
    "ALTER TABLE atlas_offersearchtext DROP COLUMN IF EXISTS document",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


def carry_over_terms(apps, schema_editor):
    concat = {"postgresql": "string_agg", "sqlite": "group_concat"}[schema_editor.connection.vendor]
    schema_editor.execute(
        "INSERT INTO atlas_offersearchtext (offer_id, heavy, light) SELECT offer_id, "
        f"COALESCE({concat}(CASE WHEN weight = 2 THEN term END, ' '), ''), "
        f"COALESCE({concat}(CASE WHEN weight <> 2 THEN term END, ' '), '') "
        "FROM atlas_offerterm GROUP BY offer_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0002_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferSearchText",
            fields=[
                (
                    "offer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="atlas.offer",
                    ),
                ),
                ("heavy", models.TextField(blank=True)),
                ("light", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(carry_over_terms, migrations.RunPython.noop),
        migrations.CreateModel(
            name="SearchState",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.DeleteModel(
            name="OfferTerm",
        ),
    ]
