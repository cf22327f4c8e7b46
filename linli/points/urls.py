from django.urls import path

from linli.points import views, views_manage, views_store

app_name = "points"

urlpatterns = [
    path("", views.index, name="index"),
    # Statements and corrections (views.py).
    path("me/", views.me, name="me"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:account_id>/", views.account_detail, name="account"),
    path("entries/<int:entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
    # The store: residents and the desk (views_store.py).
    path("store/", views_store.catalogue, name="store"),
    path("store/items/<int:item_id>/redeem/", views_store.redeem, name="redeem"),
    path("store/mine/", views_store.mine, name="mine"),
    path("store/desk/", views_store.desk, name="desk"),
    path("store/redemptions/<int:redemption_id>/<str:action>/", views_store.settle,
         name="settle"),
    path("store/items/<int:item_id>/image/", views_store.item_image, name="item_image"),
    path("store/items/<int:item_id>/thumb/", views_store.item_thumbnail, name="item_thumb"),
    # Staff management (views_manage.py).
    path("store/items/", views_manage.item_list, name="items"),
    path("store/items/new/", views_manage.item_new, name="item_new"),
    path("store/items/<int:item_id>/edit/", views_manage.item_edit, name="item_edit"),
    path("store/items/<int:item_id>/restock/", views_manage.item_restock, name="item_restock"),
    path("rules/", views_manage.rule_list, name="rules"),
    path("rules/new/", views_manage.rule_new, name="rule_new"),
    path("rules/<int:rule_id>/edit/", views_manage.rule_edit, name="rule_edit"),
]
