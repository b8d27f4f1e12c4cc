"""Once loaded the shipped guide pages; 0004_load_content does it now.

The pages are loaded after the fields for Arabic and Ukrainian, the review date and the
sources' checked dates exist (0003), so that one load writes them all. Databases that ran this
migration before get the new fields filled by 0004 as well.
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
