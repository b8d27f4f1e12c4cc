"""The guidance index, pages, KPI and topic addresses: flag, region, language and search."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from guidance.models import GuidePage, Topic
from metrics.engine.catalogue import KPIS
from tests.base import BaseTestCase
from tests.guidance.helpers import make_page

INDEX = reverse("guidance:index")


class GuidanceTestCase(BaseTestCase):
    """A small, known set of pages instead of the shipped content."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        GuidePage.objects.all().delete()
        make_page("choosing-metrics", "general", order=10)
        make_page("kpi-conversion-rate", "kpis", kpis=["conversion_rate"])
        make_page("gb-register", "register", "gb")
        make_page("gb-bank", "bank", "gb")
        make_page("be-register", "register", "be")
        for region in ("flanders", "wallonia", "brussels"):
            make_page(f"be-permits-{region}", "permits", "be", region)

    def choose(self, country: str, region: str | None = None, next_url: str = INDEX) -> None:
        data = {"country": country, "next": next_url}
        if region is not None:
            data["region"] = region
        self.client.post(reverse("accounts:set_country"), data)

    def speak(self, language: str) -> None:
        self.client.post(reverse("accounts:set_language"), {"language": language, "next": "/"})

    def html(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class IndexTests(GuidanceTestCase):
    def test_it_lists_the_shared_pages_and_asks_for_a_flag(self) -> None:
        html = self.html(INDEX)
        self.assertIn("choosing-metrics (English)", html)
        self.assertIn(reverse("guidance:topic", args=["kpis"]), html)
        self.assertNotIn("gb-register", html)
        self.assertIn('name="country" value="be"', html)

    def test_the_flag_decides_which_country_pages_are_listed(self) -> None:
        self.choose("gb")
        html = self.html(INDEX)
        self.assertIn("gb-register (English)", html)
        self.assertIn("gb-bank (English)", html)
        self.assertNotIn("be-register", html)

        self.choose("be")
        html = self.html(INDEX)
        self.assertIn("be-register (English)", html)
        self.assertNotIn("gb-register", html)
        # Without a region, every region's page is listed, and the regions are offered.
        for region in ("flanders", "wallonia", "brussels"):
            self.assertIn(f"be-permits-{region} (English)", html)
            self.assertIn(f'name="region" value="{region}"', html)

    def test_the_region_narrows_the_belgian_pages(self) -> None:
        self.choose("be", "wallonia")
        html = self.html(INDEX)
        self.assertIn("be-register (English)", html)
        self.assertIn("be-permits-wallonia (English)", html)
        self.assertNotIn("be-permits-flanders", html)
        self.assertNotIn("be-permits-brussels", html)

    def test_a_first_visit_costs_one_query(self) -> None:
        with self.assertNumQueries(1):  # shared pages (no session yet, no flag)
            self.client.get(INDEX)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        self.choose("be", "flanders")
        with self.assertNumQueries(3):  # session, shared pages, country pages
            self.client.get(INDEX)
        for number in range(10):
            make_page(f"be-more-{number}", "tax", "be")
            make_page(f"general-{number}", "general")
        with self.assertNumQueries(3):
            html = self.html(INDEX)
        self.assertIn("be-more-9 (English)", html)
        with self.assertNumQueries(4):  # and the search
            self.client.get(INDEX, {"q": "more"})

    def test_lists_show_french_titles_to_a_french_reader(self) -> None:
        self.speak("fr")
        html = self.html(INDEX)
        self.assertIn("choosing-metrics (French)", html)
        self.assertNotIn("choosing-metrics (English)", html)


class SearchTests(GuidanceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        GuidePage.objects.filter(slug="gb-bank").update(
            title_en="Opening a bank account",
            title_fr="Ouvrir un compte bancaire",
            title_nl="Een bankrekening openen",
        )

    def test_it_finds_a_page_by_a_word_of_its_french_title_in_french(self) -> None:
        self.speak("fr")
        html = self.html(f"{INDEX}?q=bancaire")
        self.assertIn("data-search-results", html)
        self.assertIn("Ouvrir un compte bancaire", html)
        self.assertIn(reverse("guidance:page", args=["gb-bank"]), html)

    def test_it_searches_the_current_language_only(self) -> None:
        html = self.html(f"{INDEX}?q=bancaire")
        results = html.split("data-search-results", 1)[1].split("</section>", 1)[0]
        self.assertNotIn("gb-bank", results)
        self.assertIn("No page matches “bancaire”", html)

    def test_it_searches_summaries_and_every_word(self) -> None:
        html = self.html(f"{INDEX}?q=summary+gb-register")
        results = html.split("data-search-results", 1)[1].split("</section>", 1)[0]
        self.assertIn("gb-register (English)", results)
        self.assertNotIn("be-register", results)

    def test_a_chosen_flag_keeps_other_countries_out_of_the_results(self) -> None:
        self.choose("gb")
        html = self.html(f"{INDEX}?q=register")
        results = html.split("data-search-results", 1)[1].split("</section>", 1)[0]
        self.assertIn("gb-register (English)", results)
        self.assertNotIn("be-register", results)

    def test_the_search_form_works_without_javascript(self) -> None:
        html = self.html(INDEX)
        self.assertRegex(html, r'<form class="guide-search" action="/guidance/" method="get"')
        self.assertIn('name="q"', html)
        self.assertIn('<label class="form-label" for="guide-q">', html)

    def test_markup_in_the_query_is_escaped(self) -> None:
        html = self.html(INDEX + "?q=%3Cscript%3Ealert(1)%3C/script%3E")
        self.assertNotIn("<script>alert(1)", html)
        self.assertIn("&lt;script&gt;", html)


class PageTests(GuidanceTestCase):
    def test_it_shows_the_page_with_its_date_sources_and_disclaimer(self) -> None:
        html = self.html(reverse("guidance:page", args=["gb-register"]))
        self.assertIn("<h1>gb-register (English)</h1>", html)
        self.assertIn("Summary of gb-register in English.", html)
        self.assertIn('<h2 id="check">Check</h2>', html)
        self.assertIn(
            '<time datetime="2026-11-23">The facts on this page were last checked on '
            "Nov. 23, 2026.</time>",
            html,
        )
        self.assertIn("Next check due by Nov. 23, 2027.", html)
        self.assertNotIn("data-review-overdue", html)
        self.assertIn(
            '<li><a href="https://example.org/0" rel="noopener noreferrer">Source 0 of '
            'gb-register</a> – <time datetime="2026-12-06">checked on Dec. 6, 2026</time></li>',
            html,
        )
        self.assertIn("data-disclaimer", html)
        self.assertIn("not legal advice", html)
        self.assertIn("This page describes the rules of one country: United Kingdom.", html)

    def test_the_date_follows_the_reader_language(self) -> None:
        self.speak("fr")
        html = self.html(reverse("guidance:page", args=["gb-register"]))
        with translation.override("fr"):
            french = date_format(date(2026, 11, 23), "DATE_FORMAT")
        self.assertEqual(french.lower(), "23 novembre 2026")
        self.assertIn('<time datetime="2026-11-23">', html)
        self.assertIn(french, html)

    def test_a_regional_page_says_which_region_it_describes(self) -> None:
        html = self.html(reverse("guidance:page", args=["be-permits-wallonia"]))
        self.assertIn("This page describes the rules in Wallonia, a region of Belgium.", html)

    def test_a_shared_page_has_no_country_note_or_disclaimer(self) -> None:
        html = self.html(reverse("guidance:page", args=["choosing-metrics"]))
        self.assertNotIn("data-page-place", html)
        self.assertNotIn("data-disclaimer", html)

    def test_an_unknown_slug_is_a_404(self) -> None:
        response = self.client.get(reverse("guidance:page", args=["no-such-page"]))
        self.assertEqual(response.status_code, 404)

    def test_the_flag_switch_on_a_country_page_goes_to_the_topic(self) -> None:
        html = self.html(reverse("guidance:page", args=["gb-register"]))
        topic = reverse("guidance:topic", args=["register"])
        self.assertEqual(html.count(f'name="next" value="{topic}"'), 1)
        # Shared pages keep the usual "come back here".
        html = self.html(reverse("guidance:page", args=["choosing-metrics"]))
        self.assertIn('name="next" value="/guidance/choosing-metrics/"', html)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        url = reverse("guidance:page", args=["gb-register"])
        with self.assertNumQueries(2):  # the page, its sources
            self.client.get(url)
        make_page("gb-many-sources", "tax", "gb", sources=8)
        with self.assertNumQueries(2):
            html = self.html(reverse("guidance:page", args=["gb-many-sources"]))
        self.assertIn("Source 7 of gb-many-sources", html)

    def test_a_planted_script_never_reaches_the_reader(self) -> None:
        make_page(
            "planted",
            body=(
                "Hello <script>alert('script')</script>\n\n"
                "<img src=x onerror=\"alert('img')\">\n\n"
                "[link](javascript:alert('link'))\n"
            ),
        )
        html = self.html(reverse("guidance:page", args=["planted"]))
        article = html.split('<article class="guide"', 1)[1].split("</article>", 1)[0]
        self.assertIn("Hello", article)
        self.assertNotIn("<script", article)
        self.assertNotIn("alert(", html)
        self.assertNotIn("onerror", html)
        self.assertNotIn("javascript:", html)


class LanguageFallbackTests(GuidanceTestCase):
    def test_arabic_and_ukrainian_readers_get_english_with_a_notice(self) -> None:
        make_page("gb-tax", "tax", "gb", languages=("en", "fr", "nl"))
        url = reverse("guidance:page", args=["gb-tax"])
        for language, direction in (("ar", "rtl"), ("uk", "ltr")):
            with self.subTest(language=language):
                self.speak(language)
                html = self.html(url)
                self.assertIn(f'<html lang="{language}" dir="{direction}">', html)
                self.assertIn('<article class="guide" lang="en" dir="ltr">', html)
                self.assertIn("<h1>gb-tax (English)</h1>", html)
                notice = html.split("data-fallback-notice", 1)[1].split("</aside>", 1)[0]
                self.assertIn(f'action="{reverse("accounts:set_language")}"', notice)
                self.assertIn(f'name="next" value="{url}"', notice)
                for code in ("en", "fr", "nl"):
                    self.assertIn(f'name="language" value="{code}" lang="{code}"', notice)
                for code in ("ar", "uk"):
                    self.assertNotIn(f'value="{code}"', notice)
                # The notice is outside the English article, in the reader's language.
                self.assertLess(html.index("data-fallback-notice"), html.index("<article"))

    def test_the_notice_names_only_the_languages_the_page_has(self) -> None:
        make_page("english-only", languages=("en",))
        self.speak("fr")
        html = self.html(reverse("guidance:page", args=["english-only"]))
        notice = html.split("data-fallback-notice", 1)[1].split("</aside>", 1)[0]
        self.assertIn('<html lang="fr" dir="ltr">', html)
        self.assertIn('<article class="guide" lang="en" dir="ltr">', html)
        self.assertIn('value="en"', notice)
        self.assertNotIn('value="fr"', notice)
        self.assertNotIn('value="nl"', notice)

    def test_french_and_dutch_readers_get_their_own_text(self) -> None:
        url = reverse("guidance:page", args=["be-register"])
        for language, name in (("fr", "French"), ("nl", "Dutch")):
            with self.subTest(language=language):
                self.speak(language)
                html = self.html(url)
                self.assertIn(f'<article class="guide" lang="{language}" dir="ltr">', html)
                self.assertIn(f"<h1>be-register ({name})</h1>", html)
                self.assertIn(f"Body of be-register in {name}.", html)
                self.assertNotIn("data-fallback-notice", html)

    def test_a_missing_body_falls_back_as_a_whole(self) -> None:
        GuidePage.objects.filter(slug="gb-bank").update(body_nl="")
        self.speak("nl")
        html = self.html(reverse("guidance:page", args=["gb-bank"]))
        self.assertIn('<article class="guide" lang="en" dir="ltr">', html)
        self.assertIn("<h1>gb-bank (English)</h1>", html)
        self.assertIn("data-fallback-notice", html)


class KpiTests(GuidanceTestCase):
    def test_it_shows_the_kpi_page_with_its_formula(self) -> None:
        url = reverse("guidance:kpi", args=["conversion_rate"])
        self.assertEqual(url, "/guidance/kpi/conversion_rate/")
        html = self.html(url)
        self.assertIn("<h1>kpi-conversion-rate (English)</h1>", html)
        self.assertIn(f'<code dir="ltr">{KPIS["conversion_rate"].formula}</code>', html)
        self.assertIn('<link rel="canonical" href="/guidance/kpi-conversion-rate/">', html)

    def test_an_unknown_code_is_a_404(self) -> None:
        response = self.client.get(reverse("guidance:kpi", args=["no_such_kpi"]))
        self.assertEqual(response.status_code, 404)

    def test_a_known_code_without_a_page_is_a_404(self) -> None:
        self.assertIn("churn_rate", KPIS)
        response = self.client.get(reverse("guidance:kpi", args=["churn_rate"]))
        self.assertEqual(response.status_code, 404)

    def test_the_page_that_names_the_code_first_wins(self) -> None:
        make_page("kpi-many", "kpis", kpis=["cac", "conversion_rate"], order=1)
        make_page("kpi-cac", "kpis", kpis=["cac"], order=50)
        html = self.html(reverse("guidance:kpi", args=["conversion_rate"]))
        self.assertIn("<h1>kpi-conversion-rate (English)</h1>", html)
        html = self.html(reverse("guidance:kpi", args=["cac"]))
        self.assertIn("<h1>kpi-many (English)</h1>", html)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        url = reverse("guidance:kpi", args=["conversion_rate"])
        with self.assertNumQueries(3):  # the KPI codes, the page, its sources
            self.client.get(url)
        for number in range(10):
            make_page(f"kpi-other-{number}", "kpis", kpis=["cac"])
        with self.assertNumQueries(3):
            self.client.get(url)


class TopicTests(GuidanceTestCase):
    register = reverse("guidance:topic", args=["register"])
    permits = reverse("guidance:topic", args=["permits"])

    def test_without_a_flag_it_asks_for_one(self) -> None:
        html = self.html(self.register)
        self.assertIn("data-choose-country", html)
        self.assertIn(f'name="next" value="{self.register}"', html)
        self.assertIn('name="country" value="gb"', html)
        self.assertNotIn("<article", html)

    def test_it_shows_the_page_of_the_reader_country(self) -> None:
        self.choose("gb")
        html = self.html(self.register)
        self.assertIn("<h1>gb-register (English)</h1>", html)
        self.choose("be")
        html = self.html(self.register)
        self.assertIn("<h1>be-register (English)</h1>", html)

    def test_the_topic_follows_the_flag_switch(self) -> None:
        self.choose("gb")
        html = self.html(reverse("guidance:page", args=["gb-register"]))
        forms = re.findall(r'action="/accounts/country/".*?</form>', html, re.S)
        next_url = re.search(r'name="next" value="([^"]+)"', forms[0]).group(1)
        self.assertEqual(next_url, self.register)
        response = self.client.post(
            reverse("accounts:set_country"), {"country": "be", "next": next_url}, follow=True
        )
        self.assertContains(response, "<h1>be-register (English)</h1>")

    def test_a_belgian_region_picks_its_own_permits_page(self) -> None:
        self.choose("be", "flanders")
        html = self.html(self.permits)
        self.assertIn("<h1>be-permits-flanders (English)</h1>", html)
        self.assertIn("This page describes the rules in Flanders, a region of Belgium.", html)
        self.choose("be", "brussels")
        self.assertIn("<h1>be-permits-brussels (English)</h1>", self.html(self.permits))

    def test_a_region_without_its_own_page_gets_the_national_one(self) -> None:
        self.choose("be", "wallonia")
        self.assertIn("<h1>be-register (English)</h1>", self.html(self.register))

    def test_without_a_region_it_lists_the_regional_pages(self) -> None:
        self.choose("be")
        html = self.html(self.permits)
        self.assertNotIn("<article", html)
        for region in ("flanders", "wallonia", "brussels"):
            self.assertIn(reverse("guidance:page", args=[f"be-permits-{region}"]), html)
            self.assertIn(f'name="region" value="{region}"', html)
        self.assertIn(f'name="next" value="{self.permits}"', html)

    def test_choosing_a_region_there_comes_back_to_its_page(self) -> None:
        self.choose("be")
        response = self.client.post(
            reverse("accounts:set_country"),
            {"country": "be", "region": "wallonia", "next": self.permits},
            follow=True,
        )
        self.assertContains(response, "<h1>be-permits-wallonia (English)</h1>")

    def test_a_country_without_a_page_on_the_topic_says_so(self) -> None:
        self.choose("nl")
        html = self.html(self.register)
        self.assertIn("There is no page on this topic for your country yet.", html)

    def test_the_kpi_topic_lists_the_kpi_pages(self) -> None:
        html = self.html(reverse("guidance:topic", args=["kpis"]))
        self.assertIn("kpi-conversion-rate (English)", html)
        self.assertNotIn("choosing-metrics (English)", html)

    def test_an_unknown_topic_is_a_404(self) -> None:
        response = self.client.get(reverse("guidance:topic", args=["recipes"]))
        self.assertEqual(response.status_code, 404)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        self.choose("be", "flanders")
        with self.assertNumQueries(3):  # session, the topic's pages, their sources
            self.client.get(self.permits)
        for number in range(5):
            make_page(f"be-permits-more-{number}", "permits", "be", "wallonia")
        with self.assertNumQueries(3):
            self.client.get(self.permits)


class DatesAndSourcesTests(GuidanceTestCase):
    body = (
        "## ACRE {#acre}\n\nFacts about ACRE.\n\n### Who\n\nMore facts.\n\n"
        "## Other {#other}\n\nOther facts, see [the bank page](guide:gb-bank#check)."
    )

    def test_a_source_note_closes_each_section_it_names_in_the_reader_language(self) -> None:
        make_page("fr-tax", "tax", "fr", body=self.body, sources=2, sections=["acre"])
        self.speak("fr")
        html = self.html(reverse("guidance:page", args=["fr-tax"]))
        section = html.split('<h2 id="acre">', 1)[1].split('<h2 id="other">', 1)[0]
        note = (
            '<p class="guide-source" data-source-note>Source : <a href="https://example.org/{n}" '
            'rel="noopener noreferrer">Source {n} of fr-tax</a>, vérifiée le '
            '<time datetime="2026-12-06">6 décembre 2026</time>.</p>'
        )
        # After the section's facts, its subsection included, once per source.
        self.assertTrue(section.endswith(note.format(n=0) + note.format(n=1)), section)
        self.assertLess(section.index("More facts."), section.index("data-source-note"))
        self.assertEqual(html.count("data-source-note"), 2)

    def test_a_note_is_written_in_arabic_for_an_arabic_reader(self) -> None:
        make_page("fr-tax", "tax", "fr", body=self.body, sections=["other"])
        self.speak("ar")
        html = self.html(reverse("guidance:page", args=["fr-tax"]))
        with translation.override("ar"):
            day = date_format(date(2026, 12, 6), "DATE_FORMAT")
        self.assertIn("2026", day)
        self.assertIn(f'<time datetime="2026-12-06">{day}</time>', html)
        note = html.split("data-source-note>", 1)[1].split("</p>", 1)[0]
        self.assertIn("Source 0 of fr-tax", note)
        self.assertNotIn("checked on", note)
        self.assertIn('<article class="guide" lang="ar" dir="rtl">', html)
        self.assertIn("<h1>fr-tax (Arabic)</h1>", html)

    def test_a_guide_link_leads_to_the_page_and_its_anchor(self) -> None:
        make_page("fr-tax", "tax", "fr", body=self.body)
        html = self.html(reverse("guidance:page", args=["fr-tax"]))
        self.assertIn(
            '<a href="/guidance/gb-bank/#check" rel="noopener noreferrer">the bank page</a>', html
        )
        self.assertNotIn("guide:", html)

    def test_a_page_past_its_review_date_says_so(self) -> None:
        make_page("fr-old", "tax", "fr", review_by=date(2026, 6, 1))
        html = self.html(reverse("guidance:page", args=["fr-old"]))
        self.assertIn(
            '<strong class="guide-overdue" data-review-overdue>They were due to be checked again '
            "by June 1, 2026: some may be out of date.</strong>",
            html,
        )
        self.assertNotIn("Next check due", html)

    def test_the_sources_list_shows_each_checked_date_in_ukrainian(self) -> None:
        self.speak("uk")
        html = self.html(reverse("guidance:page", args=["gb-register"]))
        with translation.override("uk"):
            day = date_format(date(2026, 12, 6), "DATE_FORMAT")
            reviewed = date_format(date(2026, 11, 23), "DATE_FORMAT")
        sources = html.split("<ul data-sources>", 1)[1].split("</ul>", 1)[0]
        self.assertIn(f'<time datetime="2026-12-06">перевірено {day}</time>', sources)
        self.assertIn(reviewed, html.split("data-page-checked", 1)[1].split("</p>", 1)[0])


class TopicOrderTests(GuidanceTestCase):
    def test_a_country_index_follows_the_topic_order(self) -> None:
        for slug, topic in (
            ("gb-support", "support"),
            ("gb-food", "food"),
            ("gb-start", "start"),
            ("gb-benefits", "benefits"),
            ("gb-side-job", "side_job"),
        ):
            make_page(slug, topic, "gb", order=10)
        self.choose("gb")
        html = self.html(INDEX).split('id="country-title"', 1)[1]
        expected = [
            "gb-start",
            "gb-benefits",
            "gb-register",
            "gb-food",
            "gb-side-job",
            "gb-bank",
            "gb-support",
        ]
        found = re.findall(r'href="/guidance/(gb-[a-z-]+)/"', html)
        self.assertEqual(found, expected)

    def test_the_investors_page_is_listed_with_the_shared_pages(self) -> None:
        make_page("investors", "investors", order=10)
        html = self.html(INDEX).split('id="general-title"', 1)[1].split("</section>", 1)[0]
        self.assertLess(html.index("choosing-metrics"), html.index("investors (English)"))
        html = self.html(reverse("guidance:topic", args=["investors"]))
        self.assertIn("investors (English)", html)

    def test_every_new_topic_has_a_name_in_every_language(self) -> None:
        names = {}
        for language in ("en", "fr", "nl", "ar", "uk"):
            with translation.override(language):
                names[language] = [str(label) for label in Topic.labels]
        for language in ("fr", "nl", "ar", "uk"):
            same = [n for n, en in zip(names[language], names["en"], strict=True) if n == en]
            self.assertEqual(same, [], language)
