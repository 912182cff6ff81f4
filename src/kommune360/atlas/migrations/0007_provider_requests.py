"""Requests to become a provider (Anbieter:in werden); the Redaktion and the
Administration decide them (permission ``atlas.change_providerrequest``)."""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from kommune360.core.migration_operations import grant_model_permissions


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_roles'),
        ('atlas', '0006_import_job_heartbeat'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProviderRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='Name der neuen Organisation')),
                ('website', models.URLField(blank=True, verbose_name='Website der Organisation')),
                ('note', models.TextField(blank=True, max_length=1000, verbose_name='Notiz für die Redaktion')),
                ('status', models.CharField(choices=[('offen', 'offen'), ('angenommen', 'angenommen'), ('abgelehnt', 'abgelehnt')], db_index=True, default='offen', max_length=12, verbose_name='Status')),
                ('reason', models.TextField(blank=True, max_length=1000, verbose_name='Nachricht der Redaktion')),
                ('created', models.DateTimeField(default=django.utils.timezone.now, verbose_name='gestellt am')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='entschieden am')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entschieden von')),
                ('provider', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='atlas.provider', verbose_name='Anbieter:in')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='atlas_provider_requests', to=settings.AUTH_USER_MODEL, verbose_name='Konto')),
            ],
            options={
                'verbose_name': 'Anfrage als Anbieter:in',
                'verbose_name_plural': 'Anfragen als Anbieter:in',
                'ordering': ['created', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('provider__isnull', False), ('status', 'offen')), fields=('user', 'provider'), name='atlas_request_one_open_per_provider'), models.UniqueConstraint(models.F('user'), django.db.models.functions.text.Lower('name'), condition=models.Q(('provider__isnull', True), ('status', 'offen')), name='atlas_request_one_open_per_new_name'), models.CheckConstraint(condition=models.Q(('provider__isnull', False), models.Q(('name', ''), _negated=True), _connector='OR'), name='atlas_request_names_an_organisation')],
            },
        ),
        migrations.RunPython(
            grant_model_permissions("atlas", ["providerrequest"], ["Redaktion", "Administration"]),
            migrations.RunPython.noop,
        ),
    ]
