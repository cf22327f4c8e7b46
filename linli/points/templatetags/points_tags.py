"""The points tile on the home page: a resident's balance in each community they live in."""

from django import template

from linli.points import permissions, selectors

register = template.Library()


@register.simple_tag
def points_home_panel(user) -> list[tuple]:
    """(community, balance) for each community the user lives in; empty for staff who live
    in none, so their home page is unchanged."""
    communities = permissions.resident_communities(user)
    if not communities:
        return []
    balances = {a.community_id: a.balance for a in selectors.my_accounts(actor=user)}
    return [(c, balances.get(c.pk, 0)) for c in communities]
