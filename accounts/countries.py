"""The countries and regions the product knows, with the currency each uses.

They are a fixed list in code rather than database rows: adding a country means writing its
guidance pages and checking its rules, which is a release anyway, and the switcher on every
page then costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Region:
    code: str
    name: Promise


@dataclass(frozen=True)
class Country:
    code: str
    name: Promise
    currency: str
    flag: str
    regions: tuple[Region, ...] = ()


COUNTRIES: tuple[Country, ...] = (
    Country("gb", _("United Kingdom"), "GBP", "flags/gb.svg"),
    Country("fr", _("France"), "EUR", "flags/fr.svg"),
    Country("nl", _("Netherlands"), "EUR", "flags/nl.svg"),
    Country(
        "be",
        _("Belgium"),
        "EUR",
        "flags/be.svg",
        (
            Region("flanders", _("Flanders")),
            Region("wallonia", _("Wallonia")),
            Region("brussels", _("Brussels-Capital")),
        ),
    ),
)
COUNTRIES_BY_CODE = {country.code: country for country in COUNTRIES}
REGIONS_BY_CODE = {region.code: region for country in COUNTRIES for region in country.regions}
COUNTRY_CHOICES = [(country.code, country.name) for country in COUNTRIES]
REGION_CHOICES = [(region.code, region.name) for region in REGIONS_BY_CODE.values()]


def country_for(code: str | None) -> Country | None:
    """Return the country with this code, or None when the code is unknown or empty."""
    return COUNTRIES_BY_CODE.get(code or "")


def region_belongs(country_code: str, region_code: str) -> bool:
    """Whether the region is one of the country's (an empty region always fits)."""
    if not region_code:
        return True
    country = country_for(country_code)
    return country is not None and any(r.code == region_code for r in country.regions)


def currency_for(country_code: str | None) -> str:
    """The default currency of a country; euro when the country is not known."""
    country = country_for(country_code)
    return country.currency if country else "EUR"
