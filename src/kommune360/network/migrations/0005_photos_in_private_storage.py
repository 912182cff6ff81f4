"""Profile photos move to the private storage: a photo open to members or to nobody must
have no public address (``network.views.photo`` serves each to whom it is open)."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import kommune360.core.storage


def move_photos(apps, schema_editor):
    from kommune360.core.storage import PRIVATE

    Profile = apps.get_model("network", "Profile")
    for profile in Profile.objects.exclude(photo="").only("pk", "photo"):
        name = profile.photo.name
        if not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as public:
            stored = PRIVATE.save(name, public)
        Profile.objects.filter(pk=profile.pk).update(photo=stored)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_round_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="photo",
            field=models.ImageField(
                blank=True,
                storage=kommune360.core.storage.private_storage,
                upload_to="network/photos/",
                verbose_name="Foto",
            ),
        ),
        migrations.RunPython(move_photos, migrations.RunPython.noop),
    ]
