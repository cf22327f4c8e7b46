"""The deliberation pages, one module per part: each module's `urlpatterns`, gathered here."""

from linli.deliberation import (
    views_conventions,
    views_meetings,
    views_results,
    views_topics,
    views_votes,
)

app_name = "deliberation"

urlpatterns = [
    *views_conventions.urlpatterns,  # the hall (the app's home) and conventions
    *views_topics.urlpatterns,       # topics: raise, support, discuss, screen, progress
    *views_meetings.urlpatterns,     # bodies, members, meetings, check-in, minutes
    *views_votes.urlpatterns,        # votes: set-up, opening, ballots, paper ballots
    *views_results.urlpatterns,      # results, receipts, objections, the 公示
]
