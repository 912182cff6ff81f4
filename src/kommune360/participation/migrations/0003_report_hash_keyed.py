"""Reports of accounts: their ``client_hash`` becomes the platform's keyed hash.

It was a plain SHA-256 of ``user:<id>``; the service now writes
``keyed_hash("participation:report", "user:<id>")``. Rewriting the stored rows keeps
"one report per person and contribution" for reports made before. Reports of visitors
without an account were per day and need nothing.
"""

import hashlib

from django.db import migrations


def rewrite(apps, schema_editor):
    from kommune360.core.hashing import keyed_hash

    report_model = apps.get_model("participation", "Report")
    for report in report_model.objects.filter(reporter__isnull=False).only("pk", "reporter_id"):
        identity = f"user:{report.reporter_id}"
        if report.client_hash == hashlib.sha256(identity.encode()).hexdigest()[:32]:
            report.client_hash = keyed_hash("participation:report", identity)
            report.save(update_fields=["client_hash"])


class Migration(migrations.Migration):
    dependencies = [("participation", "0002_roles")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
