from django.urls import path

from dataprotection import views_records, views_requests, views_retention

app_name = "dataprotection"

urlpatterns = [
    path("", views_records.index, name="index"),
    *views_retention.urlpatterns,
    *views_requests.urlpatterns,
    *views_records.urlpatterns,
]
