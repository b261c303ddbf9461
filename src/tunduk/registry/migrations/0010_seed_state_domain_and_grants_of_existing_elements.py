"""Start the operator's list of state e-mail domains with gov.kg, and tie each existing
element to the granted access of the employee who entered it (000 §15–19)."""

from django.db import migrations

FIRST_STATE_DOMAIN = "gov.kg"


def forwards(apps, schema_editor):
    StateDomain = apps.get_model("registry", "StateDomain")
    Element = apps.get_model("registry", "Element")
    AccessApplication = apps.get_model("registry", "AccessApplication")
    StateDomain.objects.get_or_create(
        domain=FIRST_STATE_DOMAIN,
        defaults={"note": "Added with the list; the operator keeps it current."},
    )
    for element in Element.objects.filter(entered_through__isnull=True).iterator():
        grant = (
            AccessApplication.objects.filter(
                status="granted", employee_id=element.created_by_id, subject_id=element.subject_id
            )
            .order_by("-decided_at", "-pk")
            .first()
        )
        if grant is not None:
            Element.objects.filter(pk=element.pk).update(entered_through=grant)


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_access_per_element_record_clock_and_none_answers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
