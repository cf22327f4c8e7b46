"""The party-work pages, one module per part: each module's `urlpatterns`, gathered here."""

from linli.party import views_agreements, views_contacts, views_meetings, views_members

app_name = "party"

urlpatterns = [
    *views_members.urlpatterns,     # the hub, organisations, members, 双报到, posts, hours
    *views_contacts.urlpatterns,    # contact households and visits
    *views_meetings.urlpatterns,    # joint committees, meetings, resolutions
    *views_agreements.urlpatterns,  # co-building agreements, property ratings
]
