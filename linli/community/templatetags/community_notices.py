"""The signed-in resident's current notices on the home page (`_home_list.html`)."""

from django import template

from linli.community import selectors_notices

register = template.Library()


@register.simple_tag
def home_notices(user) -> list:
    return selectors_notices.home_notices(user)
