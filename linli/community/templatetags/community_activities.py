"""Where an activity stands now, for its badge (selectors_activities.phase)."""

from django import template

from linli.community.selectors_activities import phase

register = template.Library()


@register.simple_tag
def activity_phase(activity) -> str:
    return phase(activity)
