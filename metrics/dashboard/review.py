"""The quarterly review's forms and writes: the reflection, and the KPIs for the next quarter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import Form
from metrics.engine import Engine, Period
from metrics.models.business import Business, TrackedKpi, business_write
from metrics.models.reviews import QuarterlyReview

REFLECTION_MAX = 5000


class ReflectionForm(Form):
    reflection = forms.CharField(
        label=_("Your reflection on this quarter"),
        required=False,
        max_length=REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What went well, what did not, and what you will change in marketing or sales."
        ),
        error_messages={
            "max_length": _(
                "Keep your reflection to %(limit_value)d characters or fewer "
                "(it has %(show_value)d)."
            )
        },
    )


class KpiChoiceForm(Form):
    kpis = forms.MultipleChoiceField(
        label=_("KPIs to follow next quarter"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one KPI to follow."),
            "invalid_choice": _("“%(value)s” is not a KPI you can follow. Choose from the list."),
        },
    )

    def __init__(self, *args: Any, engine: Engine, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["kpis"]).choices = [
            (code, str(kpi.name)) for code, kpi in engine.kpis.items()
        ]


def quarterly_review_save(
    *, business: Business, quarter: Period, reflection: str
) -> QuarterlyReview:
    """Create or replace the reflection on one quarter."""
    review, _created = QuarterlyReview.objects.update_or_create(
        business=business, quarter=quarter.label, defaults={"reflection": reflection}
    )
    return review


def tracked_kpis_set(*, business: Business, codes: Sequence[str]) -> tuple[int, int]:
    """Make the tracked KPIs exactly ``codes``: keep the rest, add new ones at the end.

    Returns how many were added and dropped. Each row goes through the model so that its
    history records who changed what.
    """
    wanted = list(dict.fromkeys(codes))
    with business_write(business):
        current = {
            tracked.kpi: tracked
            for tracked in TrackedKpi.objects.select_for_update().filter(business=business)
        }
        dropped = [tracked for code, tracked in current.items() if code not in wanted]
        for tracked in dropped:
            tracked.delete()
        position = max((tracked.position for tracked in current.values()), default=-1) + 1
        added = 0
        for code in wanted:
            if code not in current:
                TrackedKpi.objects.create(business=business, kpi=code, position=position)
                position += 1
                added += 1
    return added, len(dropped)
