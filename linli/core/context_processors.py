from linli.accounts import scope


def linli(request):
    user = getattr(request, "user", None)
    return {
        "linli_roles": sorted(scope.roles_of(user)) if user is not None else [],
    }
