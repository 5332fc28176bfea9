"""Names the person behind a request's saves, for the review trail of changes made outside a
workflow call (change forms, inlines, revert)."""

from claims.workflow import acting_as


class ActingUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A callable: public pages never look the user up.
        with acting_as(lambda: request.user):
            return self.get_response(request)
