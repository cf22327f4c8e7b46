from django.urls import path

from linli.volunteering import views, views_staff

app_name = "volunteering"

urlpatterns = [
    path("", views.index, name="index"),
    # Residents and volunteers (views.py).
    path("wishes/new/", views.wish_new, name="wish_new"),
    path("wishes/mine/", views.wishes_mine, name="wishes_mine"),
    path("wishes/<int:wish_id>/cancel/", views.wish_cancel, name="wish_cancel"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/claim/", views.task_claim, name="task_claim"),
    path("claims/mine/", views.claims_mine, name="claims_mine"),
    path("claims/<int:claim_id>/<str:action>/", views.claim_act, name="claim_act"),
    path("me/", views.me, name="me"),
    path("profile/", views.profile_edit, name="profile"),
    # Staff, and requesters confirming work (views_staff.py).
    path("inbox/", views_staff.inbox, name="inbox"),
    path("wishes/<int:wish_id>/publish/", views_staff.wish_publish, name="wish_publish"),
    path("wishes/<int:wish_id>/decline/", views_staff.wish_decline, name="wish_decline"),
    path("tasks/new/", views_staff.task_new, name="task_new"),
    path("tasks/manage/", views_staff.task_manage, name="task_manage"),
    path("tasks/<int:task_id>/act/<str:action>/", views_staff.task_act, name="task_act"),
    path("confirm/", views_staff.confirm_list, name="confirm"),
    path("volunteers/", views_staff.volunteers, name="volunteers"),
    path("honour/", views_staff.honour, name="honour"),
]
