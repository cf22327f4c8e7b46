"""Control characters in the pages' form posts are refused in one place.

The API's parser refuses them in JSON bodies and query strings (core.parser); Django's form
fields refuse only NUL. A page form whose text holds another C0 control character (a bell,
an escape, a form feed …) is almost always pasted garbage, and some (NUL) PostgreSQL cannot
store: the post is refused with the reason, as any refused page action is, and nothing is
written. Open311 answers in its own error format and is left to its own checks.
"""

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.core.parser import CONTROL_CHARACTERS
from linli.core.refusals import render_refused

_NOT_PAGES = ("/api/", "/open311/")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method == "POST" and request.content_type in _FORMS
                and not request.path.startswith(_NOT_PAGES)):
            field = next((name for name, values in request.POST.lists()
                          if any(CONTROL_CHARACTERS.search(v) for v in values)), None)
            if field is not None:
                return render_refused(request, ValidationFailed(
                    _("The form contains a control character (in %(field)s); remove it and "
                      "try again.") % {"field": field}, code="control_characters"),
                    back=request.path)
        return self.get_response(request)
