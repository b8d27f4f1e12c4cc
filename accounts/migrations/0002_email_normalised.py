"""Store every address normalised (trimmed, lower case), then let the database hold it so.

Two accounts whose addresses differ only by case or spaces cannot both be kept, and which one
is the person's is a human decision (each may own businesses): the migration then stops, names
them, changes nothing, and the operator merges or renames one in the admin before migrating
again.
"""

from collections import defaultdict

import django.db.models.functions.text
from django.db import migrations, models


def normalise_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_address = defaultdict(list)
    for pk, email in User.objects.values_list("pk", "email"):
        by_address[email.strip().lower()].append((pk, email))
    clashes = {address: rows for address, rows in by_address.items() if len(rows) > 1}
    if clashes:
        listed = "; ".join(
            f"{address}: " + ", ".join(f"#{pk} {email!r}" for pk, email in rows)
            for address, rows in sorted(clashes.items())
        )
        raise RuntimeError(
            "Some accounts have the same email address in different letter case or with "
            f"spaces, so it cannot be stored normalised: {listed}. Merge or rename them in "
            "the admin, then migrate again."
        )
    for address, [(pk, email)] in by_address.items():
        if email != address:
            User.objects.filter(pk=pk).update(email=address)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(normalise_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "email",
                        django.db.models.functions.text.Trim(
                            django.db.models.functions.text.Lower("email")
                        ),
                    )
                ),
                name="user_email_normalised",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_unique_in_any_case",
            ),
        ),
    ]
