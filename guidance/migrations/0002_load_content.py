"""Load the shipped guide pages, so that a fresh install has them.

The writing code is kept here, frozen with this migration's models, rather than imported from
the load_guidance command, whose models may gain fields later.
"""

from __future__ import annotations

from django.db import migrations

from guidance.content_loader import LANGUAGES, read_pages


def load_pages(apps, schema_editor):
    GuidePage = apps.get_model("guidance", "GuidePage")
    GuideSource = apps.get_model("guidance", "GuideSource")
    for data in read_pages():
        fields = {
            "topic": data.topic,
            "country": data.country,
            "region": data.region,
            "kpis": list(data.kpis),
            "order": data.order,
            "reviewed": data.reviewed,
        }
        for name in ("title", "summary", "body"):
            fields[name] = getattr(data.texts["en"], name)
            for language in LANGUAGES:
                fields[f"{name}_{language}"] = getattr(data.texts[language], name)
        page, _created = GuidePage.objects.update_or_create(slug=data.slug, defaults=fields)
        GuideSource.objects.filter(page=page).delete()
        GuideSource.objects.bulk_create(
            GuideSource(page=page, title=source.title, url=source.url, order=number)
            for number, source in enumerate(data.sources)
        )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]

    operations = [migrations.RunPython(load_pages, migrations.RunPython.noop)]
