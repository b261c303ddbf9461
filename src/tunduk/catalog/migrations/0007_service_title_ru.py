# A service's title in Kyrgyz (the state language) and Russian (the official language).

from django.db import migrations, models

# Letters Kyrgyz has and Russian has not: a title with one of them is not Russian.
KYRGYZ_LETTERS = frozenset("өүңӨҮҢ")


def fill(apps, schema_editor):
    Service = apps.get_model("catalog", "Service")
    for service in Service.objects.all().iterator():
        if not KYRGYZ_LETTERS.intersection(service.title):
            service.title_ru = service.title
            service.save(update_fields=["title_ru"])


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0006_gateway_status_reports"),
    ]

    operations = [
        migrations.AlterField(
            model_name="service",
            name="title",
            field=models.CharField(max_length=300, verbose_name="title in Kyrgyz"),
        ),
        migrations.AddField(
            model_name="service",
            name="title_ru",
            field=models.CharField(blank=True, max_length=300, verbose_name="title in Russian"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
