from django.urls import path

from matches import views

app_name = "matches"

urlpatterns = [
    path("<str:public_id>/", views.match_detail, name="detail"),
]
