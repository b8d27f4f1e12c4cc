"""Load the shipped guide pages, so that a fresh install has them (and update older installs).

The writing code is kept here, frozen with this migration's models, rather than imported from
the load_guidance command, whose models may gain fields later. Languages a file does not have
yet are left empty, so readers get the fallback notice.
"""

from __future__ import annotations

from django.db import migrations

from guidance.content_loader import read_pages

# The languages of this migration's models (0003), not of whatever the loader reads later.
LANGUAGES = ("en", "fr", "nl", "ar", "uk")


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
            "review_by": data.review_by,
            "figures_year": data.figures_year,
        }
        for name in ("title", "summary", "body"):
            fields[name] = getattr(data.texts["en"], name)
            for language in LANGUAGES:
                text = data.texts.get(language)
                fields[f"{name}_{language}"] = getattr(text, name) if text else ""
        page, _created = GuidePage.objects.update_or_create(slug=data.slug, defaults=fields)
        GuideSource.objects.filter(page=page).delete()
        GuideSource.objects.bulk_create(
            GuideSource(
                page=page,
                title=source.title,
                url=source.url,
                checked=source.checked,
                sections=list(source.sections),
                order=number,
            )
            for number, source in enumerate(data.sources)
        )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0003_five_languages_review_dates")]

    operations = [migrations.RunPython(load_pages, migrations.RunPython.noop)]
