"""The dashboard and the quarterly review."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import (
    business_engine,
    business_figures,
    business_targets,
    target_rule,
    tracked_codes,
)
from metrics.comments.threads import newly_read, thread, threads
from metrics.dashboard.build import build_dashboard, build_review, figures_window
from metrics.dashboard.cache import RenderedBoard, RenderedCard, board_key, cached_board
from metrics.dashboard.cards import TargetInput
from metrics.dashboard.funnel import funnel_figures
from metrics.dashboard.peers import Unavailable, peer_blocks, unavailable_text
from metrics.dashboard.picker import period_picker, readable_period, review_quarter
from metrics.dashboard.review import (
    KpiChoiceForm,
    ReflectionForm,
    quarterly_review_save,
    tracked_kpis_set,
)
from metrics.dashboard.selectors import entry_span, in_a_programme, window_figures
from metrics.engine import (
    KPIS,
    Engine,
    PeriodError,
    PeriodKind,
    Stage,
    parse_period_label,
    period_of,
)
from metrics.engine.periods import Period
from metrics.models.business import Business
from metrics.models.comments import Comment
from metrics.models.reviews import QuarterlyReview
from metrics.pages import business_context, last_complete_month
from metrics.peers.quartiles import MIN_PEERS


def _engine_for(business: Business, tracked: list[str]) -> Engine:
    """The catalogue's engine when only built-in KPIs are tracked: no query for custom ones."""
    if all(code in KPIS for code in tracked):
        return Engine.catalogue()
    return business_engine(business)


def _target_inputs(business: Business) -> list[TargetInput]:
    return [
        TargetInput(target_rule(target), target.goal.title if target.goal else "")
        for target in business_targets(business)
    ]


def _render_board(
    business: Business, *, can_edit: bool, asked: Period | None, latest: date
) -> RenderedBoard:
    """Read, compute and render everything on the dashboard but its comments."""
    tracked = tracked_codes(business)
    engine = _engine_for(business, tracked)
    first_month, last_month = entry_span(business)
    period = asked or period_of(last_month or latest, PeriodKind.MONTH)
    codes = [code for code in tracked if code in engine.kpis]
    figures = window_figures(
        business,
        first=figures_window(period, first_month),
        last=period.end,
        codes={*engine.figures_needed(codes), *funnel_figures()} if codes else funnel_figures(),
    )
    board = build_dashboard(
        engine=engine,
        figures=figures,
        codes=codes,
        targets=_target_inputs(business),
        period=period,
        currency=business.currency,
        first_month=first_month,
    )
    picker = period_picker(period, first_month=first_month, last_month=last_month, latest=latest)
    # Only a business in a programme has similar businesses to be compared with. Joining and
    # leaving renew the revision, so the kept cards follow.
    compared = in_a_programme(business)
    card_context = {
        "goals_url": reverse("metrics:goals", args=[business.pk]) if can_edit else "",
        "table_summary": _("The numbers as a table"),
    }
    return RenderedBoard(
        period_label=period.label,
        title=board.title,
        span=board.span,
        first_month=first_month,
        last_month=last_month,
        picker=render_to_string("metrics/dashboard/picker.html", {"picker": picker}),
        counts=render_to_string("metrics/dashboard/counts.html", {"board": board}),
        cards=tuple(
            RenderedCard(
                card.code,
                card.name,
                render_to_string(
                    "metrics/dashboard/card_body.html",
                    {
                        **card_context,
                        "card": card,
                        "guide": reverse("guidance:kpi", args=[card.code]) if card.builtin else "",
                        "peers_url": (
                            f"{reverse('metrics:kpi', args=[business.pk, card.code])}"
                            f"?period={period.label}#peers"
                            if card.builtin and compared
                            else ""
                        ),
                    },
                ),
            )
            for card in board.cards
        ),
        funnel=render_to_string(
            "metrics/dashboard/funnel.html", {"board": board, "funnel": board.funnel}
        ),
    )


@business_view()
def dashboard(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    latest = last_complete_month()
    text = request.GET.get("period", "")
    asked = readable_period(text, business.fy_start)
    key = board_key(
        business,
        period=asked.label if asked else "",
        latest=latest,
        language=get_language(),
        can_edit=access.can_edit,
    )
    board = cached_board(
        key,
        lambda: _render_board(business, can_edit=access.can_edit, asked=asked, latest=latest),
    )
    card_threads = threads(
        business=business,
        user=request.user,
        on=Comment.On.KPI,
        subjects=[card.code for card in board.cards],
        period=board.period_label,
    )
    context = {
        **business_context(
            request,
            access.after_reading(newly_read(card_threads.values())),
            "dashboard",
            last_logged=board.last_month,
        ),
        "board": board,
        "cards": [(card, card_threads[card.code]) for card in board.cards],
        "unreadable_period": text[:40] if text and asked is None else "",
        "has_figures": board.first_month is not None,
        "log_month": latest,
    }
    return render(request, "metrics/dashboard/dashboard.html", context)


@require_safe
@business_view()
def kpi_page(request: HttpRequest, access: BusinessAccess, kpi: str) -> HttpResponse:
    """One KPI over a period: its card, and where it sits among similar businesses."""
    business = access.business
    engine = _engine_for(business, [kpi])
    if kpi not in engine.kpis:
        raise Http404
    latest = last_complete_month()
    text = request.GET.get("period", "")
    asked = readable_period(text, business.fy_start)
    first_month, last_month = entry_span(business)
    period = asked or period_of(last_month or latest, PeriodKind.MONTH)
    figures = window_figures(
        business,
        first=figures_window(period, first_month),
        last=period.end,
        codes=engine.figures_needed([kpi]),
    )
    board = build_dashboard(
        engine=engine,
        figures=figures,
        codes=[kpi],
        targets=_target_inputs(business),
        period=period,
        currency=business.currency,
        first_month=first_month,
    )
    card = board.cards[0]
    own = None if card.coverage else card.value  # a value so far is not compared
    blocks, unavailable = peer_blocks(
        business, engine.kpis[kpi], period, own, owner=access.can_edit
    )
    picker = period_picker(period, first_month=first_month, last_month=last_month, latest=latest)
    context = {
        **business_context(request, access, "dashboard", last_logged=last_month),
        "card": card,
        "period_title": board.title,
        "span": board.span,
        "picker": picker,
        "unreadable_period": text[:40] if text and asked is None else "",
        "guide": reverse("guidance:kpi", args=[kpi]) if card.builtin else "",
        "goals_url": reverse("metrics:goals", args=[business.pk]) if access.can_edit else "",
        "table_summary": _("The numbers as a table"),
        "back": f"{reverse('metrics:dashboard', args=[business.pk])}?period={period.label}",
        "peer_blocks": blocks,
        "unavailable": (
            unavailable_text(unavailable, owner=access.can_edit) if unavailable else ""
        ),
        "set_sector": access.can_edit and unavailable is Unavailable.NO_SECTOR,
        "min_peers": MIN_PEERS,
    }
    return render(request, "metrics/dashboard/kpi.html", context)


def _stage_groups(engine: Engine, chosen: set[str]) -> list[tuple[str, list[dict[str, object]]]]:
    """Every KPI the business could follow, grouped by AARRR stage, then its own KPIs."""
    groups: dict[str, list[dict[str, object]]] = {stage.label: [] for stage in Stage}
    other = _("Other KPIs")
    groups[other] = []
    for code, kpi in engine.kpis.items():
        label = kpi.stage.label if kpi.stage is not None else other
        groups[label].append(
            {
                "code": code,
                "name": kpi.name,
                "description": kpi.description,
                "builtin": code in KPIS,
                "checked": code in chosen,
            }
        )
    return [(label, rows) for label, rows in groups.items() if rows]


def _review_page(
    request: HttpRequest, access: BusinessAccess, quarter: Period | None
) -> HttpResponse:
    business = access.business
    engine = business_engine(business)
    figures = business_figures(business)
    if quarter is None:
        quarter = review_quarter(
            business.fy_start,
            first_month=figures.first_month,
            last_month=figures.last_month,
            fallback=last_complete_month(),
        )
    tracked = dict(business.tracked_kpis.values_list("kpi", "why"))
    saved = QuarterlyReview.objects.filter(business=business, quarter=quarter.label).first()
    reflection_form = ReflectionForm(initial={"reflection": saved.reflection if saved else ""})
    kpi_form = KpiChoiceForm(engine=engine, initial={"kpis": list(tracked)})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reflection":
            reflection_form = ReflectionForm(request.POST)
        elif action == "kpis":
            kpi_form = KpiChoiceForm(request.POST, engine=engine)
        else:
            return HttpResponseBadRequest()
        if _review_save(
            request, business, quarter, reflection_form if action == "reflection" else kpi_form
        ):
            return redirect("metrics:review", business.pk, quarter.label)
    chosen = (
        set(cast(QueryDict, kpi_form.data).getlist("kpis")) if kpi_form.is_bound else set(tracked)
    )
    review = build_review(
        engine=engine,
        figures=figures,
        codes=list(tracked),
        targets=_target_inputs(business),
        quarter=quarter,
        currency=business.currency,
    )
    shown = thread(
        business=business, user=request.user, on=Comment.On.REVIEW, subject=quarter.label
    )
    context = {
        **business_context(request, access.after_reading(shown.new_count), "review"),
        "thread": shown,
        "review": review,
        "quarter": quarter,
        "previous_quarter": quarter.previous(),
        "next_quarter": quarter.next(),
        "kpi_rows": [(card, tracked.get(card.code, "")) for card in review.dashboard.cards],
        "saved": saved,
        "reflection_form": reflection_form,
        "kpi_form": kpi_form,
        "kpi_groups": _stage_groups(engine, chosen),
        "has_errors": reflection_form.errors or kpi_form.errors,
    }
    return render(request, "metrics/dashboard/review.html", context)


def _review_save(
    request: HttpRequest,
    business: Business,
    quarter: Period,
    form: ReflectionForm | KpiChoiceForm,
) -> bool:
    """Save what the posted form holds and say so; False when it has errors to show."""
    if not form.is_valid():
        return False
    if isinstance(form, ReflectionForm):
        quarterly_review_save(
            business=business, quarter=quarter, reflection=form.cleaned_data["reflection"]
        )
        messages.success(request, _("Your reflection is saved."))
    else:
        added, dropped = tracked_kpis_set(business=business, codes=form.cleaned_data["kpis"])
        messages.success(request, _kpis_saved_message(added, dropped))
    return True


def _kpis_saved_message(added: int, dropped: int) -> str:
    added_text = ngettext("%(count)d KPI added", "%(count)d KPIs added", added) % {"count": added}
    dropped_text = ngettext("%(count)d KPI dropped", "%(count)d KPIs dropped", dropped) % {
        "count": dropped
    }
    return _("Your KPIs for the next quarter are saved: %(added)s, %(dropped)s.") % {
        "added": added_text,
        "dropped": dropped_text,
    }


@business_view()
def review_latest(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    return _review_page(request, access, None)


@business_view()
def review(request: HttpRequest, access: BusinessAccess, quarter: str) -> HttpResponse:
    business = access.business
    try:
        period = parse_period_label(quarter, business.fy_start)
    except PeriodError:
        raise Http404 from None
    if period.kind is not PeriodKind.QUARTER:
        raise Http404
    return _review_page(request, access, period)
