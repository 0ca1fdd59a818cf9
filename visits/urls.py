from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("plan/", views.visit_plan, name="plan"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("lapsed-contact/", views.lapsed, name="lapsed"),
    path("reports/", views.report_queue, name="report_queue"),
    path("reports/<str:public_id>/", views.report_detail, name="report_detail"),
    path(
        "reports/<str:public_id>/acknowledge/",
        views.report_acknowledge,
        name="report_acknowledge",
    ),
    path("reports/<str:public_id>/add/", views.report_note, name="report_note"),
    path("platforms/", views.platform_list, name="platforms"),
    path("platforms/<str:public_id>/", views.platform_edit, name="platform_edit"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<str:public_id>/", views.visit_detail, name="detail"),
    path("<str:public_id>/check-in/", views.visit_check_in, name="check_in"),
    path("<str:public_id>/check-out/", views.visit_check_out, name="check_out"),
    path("<str:public_id>/held/", views.visit_record_held, name="record_held"),
    path("<str:public_id>/cancel/", views.visit_cancel, name="cancel"),
    path("<str:public_id>/report/", views.report_write, name="report"),
    path("<str:public_id>/worried/", views.worried, name="worried"),
]
