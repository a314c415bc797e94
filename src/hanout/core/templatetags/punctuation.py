"""`{% colon %}`: the colon after a label, as the page's language writes it — French puts a
no-break space before it ("Vendeur : "), the other languages none. Loaded in every template
(settings.TEMPLATES builtins), so `{% translate "Seller" %}{% colon %}` keeps one msgid per
label instead of one with a colon and one without."""

from django import template
from django.utils.translation import get_language

register = template.Library()

SPACED = ("fr",)


@register.simple_tag
def colon() -> str:
    language = (get_language() or "").split("-")[0]
    return "\u00a0:" if language in SPACED else ":"
