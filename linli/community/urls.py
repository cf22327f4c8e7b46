"""The community-life pages, one module per part: each module's `urlpatterns`, gathered here."""

from linli.community import views_activities, views_honours, views_notices, views_ratings

app_name = "community"

urlpatterns = [
    *views_activities.urlpatterns,  # the hub (the app's home), activities, sign-up, check-in
    *views_notices.urlpatterns,     # notices, attachments, read receipts
    *views_honours.urlpatterns,     # honour boards, entries, replies
    *views_ratings.urlpatterns,     # 最美楼栋: score sheets and monthly ratings
]
