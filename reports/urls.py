from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("exports/", views.export_create, name="export_create"),
    path("exports/<str:public_id>/", views.export_detail, name="export"),
    path("exports/<str:public_id>/download/", views.export_download, name="export_download"),
    path("lac/<str:public_id>/", views.lac_summaries, name="lac_summaries"),
    path("lac/<str:public_id>/<str:summary_id>/", views.lac_summary, name="lac_summary"),
]
