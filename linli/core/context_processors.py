from linli.core.access import access


def linli(request):
    user = getattr(request, "user", None)
    return {
        "linli_roles": sorted(access().roles_of(user)) if user is not None else [],
    }
