"""Small helpers of the services pages."""

from django import template

register = template.Library()


@register.simple_tag
def next_slot(free: dict, pk: int):
    return free.get(pk)
