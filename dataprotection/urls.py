from django.urls import path

from dataprotection.views import records, requests, retention

app_name = "dataprotection"

urlpatterns = [
    path("", records.index, name="index"),
    # Retention schedules, the destruction decisions and legal holds.
    path("retention/", retention.schedule, name="retention"),
    path(
        "retention/<slug:slug>/<str:record_type>/", retention.schedule_edit, name="retention_edit"
    ),
    path("due/", retention.due, name="due"),
    path("destructions/", retention.destructions, name="destructions"),
    path("holds/", retention.hold_list, name="holds"),
    path("holds/child/<str:public_id>/", retention.hold_child, name="hold_child"),
    path("holds/volunteer/<str:public_id>/", retention.hold_volunteer, name="hold_volunteer"),
    path("holds/<str:public_id>/lift/", retention.hold_lift, name="hold_lift"),
    # Subject access requests.
    path("requests/", requests.request_list, name="requests"),
    path(
        "requests/new/child/<str:public_id>/",
        requests.request_create_child,
        name="request_create_child",
    ),
    path(
        "requests/new/volunteer/<str:public_id>/",
        requests.request_create_volunteer,
        name="request_create_volunteer",
    ),
    path("requests/<str:public_id>/", requests.request_detail, name="request"),
    path("requests/<str:public_id>/extend/", requests.request_extend, name="request_extend"),
    path("requests/<str:public_id>/assign/", requests.request_assign, name="request_assign"),
    path("requests/<str:public_id>/withhold/", requests.request_redact, name="request_redact"),
    path("requests/<str:public_id>/bundle/", requests.request_bundle, name="request_bundle"),
    path(
        "requests/<str:public_id>/download/<str:kind>/",
        requests.request_download,
        name="request_download",
    ),
    path("requests/<str:public_id>/release/", requests.request_release, name="request_release"),
    path("requests/<str:public_id>/withdraw/", requests.request_withdraw, name="request_withdraw"),
    # The child's and the volunteer's records: corrections, erasure.
    path("find/", records.find, name="find"),
    path("processing/", records.records_of_processing, name="processing"),
    path("volunteers/<str:public_id>/erase/", records.erase_volunteer, name="erase_volunteer"),
    path("children/<str:public_id>/correct/", records.correct_child, name="correct_child"),
]
