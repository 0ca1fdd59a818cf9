from django.urls import path

from safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.register, name="register"),
    path("raise/", views.raise_concern, name="raise"),
    path("mine/", views.mine, name="mine"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/sent/", views.raised, name="raised"),
    path("<str:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:public_id>/record/", views.record, name="record"),
    path("<str:public_id>/share/", views.share, name="share"),
    path("<str:public_id>/close/", views.close, name="close"),
]
