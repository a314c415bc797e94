"""Choice lists of the settings forms, as a person reads them in their language."""

from __future__ import annotations

from django.utils import translation

from hanout.core.forms import _country_choices


def test_countries_sort_by_their_name_in_the_language_accents_aside():
    with translation.override("fr"):
        names = [name for _code, name in _country_choices()]
    assert names.index("Égypte (EG)") < names.index("Espagne (ES)") < names.index("Zambie (ZM)")
    assert names.index("Danemark (DK)") < names.index("Égypte (EG)")
    assert names[-1] == "Zimbabwe (ZW)"
    with translation.override("en"):
        codes = [code for code, _name in _country_choices()]
    assert codes.index("MA") < codes.index("NL")  # Morocco before Netherlands
