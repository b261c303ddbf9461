# API tokens get an expiry and a read-only scope; invitation tokens are stored hashed.

import hashlib

from django.db import migrations, models


def hash_invitation_tokens(apps, schema_editor):
    """Keep every link already sent working: store the hash of its token in place of it."""
    Invitation = apps.get_model("accounts", "Invitation")
    for invitation in Invitation.objects.only("pk", "token").iterator():
        digest = hashlib.sha256(invitation.token.encode("utf-8", "surrogatepass")).hexdigest()
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=digest)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_alter_user_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Empty for a token that never expires.",
                null=True,
                verbose_name="expires",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="read_only",
            field=models.BooleanField(
                default=False,
                help_text="The token may read but not change anything.",
                verbose_name="read-only",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="SHA-256 of the token"),
        ),
        migrations.RunPython(hash_invitation_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="token"),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="SHA-256 of the token"),
        ),
    ]
