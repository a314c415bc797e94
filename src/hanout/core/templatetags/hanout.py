"""Template helpers: Bootstrap widgets, money and audit values."""

from django import forms, template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def bs_widget(field):
    """Render a bound field's widget with Bootstrap classes and ARIA error links."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = ""
    else:
        css = "form-control"
    attrs = {}
    if css:
        attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    if field.errors:
        attrs["class"] = attrs.get("class", "") + " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def change_pair(pair):
    """An audit change [before, after] as struck-out old and new value."""
    from django.utils.translation import get_language_bidi

    before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
    # Each value is isolated so mixed Latin/Arabic text keeps its order; the
    # arrow points the way the page reads.
    return format_html(
        "<bdi><del>{}</del></bdi> {} <bdi><ins>{}</ins></bdi>",
        "—" if before in (None, "") else before,
        "←" if get_language_bidi() else "→",
        "—" if after in (None, "") else after,
    )


@register.simple_tag
def weekday_short(weekday: int) -> str:
    """The abbreviated weekday name (0 = Monday) in the active language, from CLDR."""
    from babel.dates import get_day_names
    from django.utils.translation import get_language

    try:
        names = get_day_names("abbreviated", locale=(get_language() or "en").replace("-", "_"))
    except Exception:  # a language Babel does not know: fall back to English
        names = get_day_names("abbreviated", locale="en")
    return names[weekday]


@register.filter
def action_label(action: str) -> str:
    """An audit action code as a sentence in the reader's language."""
    from hanout.core.audit import action_label as label

    return label(action)


@register.simple_tag
def field_label(object_type: str, field: str) -> str:
    from hanout.core.audit import field_label as label

    return label(object_type, field)
