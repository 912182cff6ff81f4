"""Survey answers counted per question, month and value (decision 0112); the answers
already stored are counted once here."""

from collections import defaultdict
from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models


def count_stored_answers(apps, schema_editor):
    Answer = apps.get_model("impact", "Answer")
    AnswerTally = apps.get_model("impact", "AnswerTally")
    groups = defaultdict(lambda: [0, 0, Decimal(0)])
    rows = Answer.objects.values_list("question_id", "question__kind", "response__month", "number")
    for question_id, kind, month, number in rows.iterator():
        closed = kind in ("scale", "yes_no") and number is not None
        group = groups[(question_id, month, int(number) if closed else -1)]
        group[0] += 1
        if number is not None:
            group[1] += 1
            group[2] += Decimal(number)
    AnswerTally.objects.bulk_create(
        AnswerTally(
            question_id=question_id, month=month, option=option, count=n, numbers=k, total=t
        )
        for (question_id, month, option), (n, k, t) in groups.items()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('impact', '0002_permissions'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnswerTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='first day of the month of the answers')),
                ('option', models.SmallIntegerField()),
                ('count', models.PositiveIntegerField(default=0)),
                ('numbers', models.PositiveIntegerField(default=0)),
                ('total', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tallies', to='impact.question')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('question', 'month', 'option'), name='impact_tally_once')],
            },
        ),
        migrations.RunPython(count_stored_answers, migrations.RunPython.noop),
    ]
