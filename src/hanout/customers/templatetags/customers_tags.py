"""Small template helpers of the customer pages."""

from django import template

register = template.Library()


@register.simple_tag
def get_item(mapping, key):
    """`mapping[key]` ("" when missing): segment labels and badge classes by key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
