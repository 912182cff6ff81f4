"""Encrypt the second-factor secrets stored before accounts.mfa_secrets existed."""

from django.db import migrations

FIELDS = {"totp": ["secret"], "recovery_codes": ["seed"]}


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=FIELDS):
        data = dict(authenticator.data)
        for field in FIELDS[authenticator.type]:
            if field in data:
                data[field] = convert(data[field])
        if "migrated_codes" in data:
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_secrets(apps, schema_editor):
    from kommune360.accounts.mfa_secrets import encrypt

    _convert(apps, encrypt)


def decrypt_secrets(apps, schema_editor):
    from kommune360.accounts.mfa_secrets import decrypt

    _convert(apps, decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
