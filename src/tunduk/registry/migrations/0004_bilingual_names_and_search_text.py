# Names in Kyrgyz (the state language) and Russian (the official language), and the folded
# search column of elements (docs/search.md).
#
# The existing names stay in the Kyrgyz (required) fields. A subject's is copied as its
# Russian name too unless it has a letter only Kyrgyz has. An element's Russian name stays
# empty: its record is journaled, and a migration must not change a record without a new
# version (``tunduk journal verify`` would report it); a Russian reader sees the existing
# name by the fallback until the next change records the Russian one.

from django.db import migrations, models

# Letters Kyrgyz has and Russian has not: a name with one of them is not Russian.
KYRGYZ_LETTERS = frozenset("өүңӨҮҢ")


def _russian_copy(name):
    """The existing name as the Russian one too, unless it is written in Kyrgyz."""
    return "" if KYRGYZ_LETTERS.intersection(name) else name


def _fold(text):
    return " ".join(str(text).lower().replace("ё", "е").split())


def fill(apps, schema_editor):
    Subject = apps.get_model("registry", "Subject")
    Element = apps.get_model("registry", "Element")
    for subject in Subject.objects.all().iterator():
        subject.name_ru = _russian_copy(subject.name)
        subject.save(update_fields=["name_ru"])
    for element in Element.objects.all().iterator():
        values = (element.full_name, element.short_name, element.registration_code)
        element.search_text = "\n".join(_fold(value) for value in values if value)
        element.save(update_fields=["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_bounded_texts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="element",
            name="full_name",
            field=models.CharField(max_length=500, verbose_name="full name in Kyrgyz"),
        ),
        migrations.AddField(
            model_name="element",
            name="full_name_ru",
            field=models.CharField(
                blank=True, max_length=500, verbose_name="full name in Russian"
            ),
        ),
        migrations.AddField(
            model_name="element",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.AlterField(
            model_name="subject",
            name="name",
            field=models.CharField(
                max_length=300, unique=True, verbose_name="full name in Kyrgyz"
            ),
        ),
        migrations.AddField(
            model_name="subject",
            name="name_ru",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="full name in Russian"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
