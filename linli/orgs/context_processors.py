"""What the navigation needs to know about the org tree."""

from linli.orgs.permissions import can_see_area_tree


def areas(request) -> dict:
    return {"linli_area_tree": can_see_area_tree(getattr(request, "user", None))}
