from django.urls import path

from expenses import views

app_name = "expenses"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.start, name="start"),
    path("queue/", views.queue, name="queue"),
    path("pre-authorisations/", views.preauths, name="preauths"),
    path("pre-authorisations/new/", views.preauth_new, name="preauth_new"),
    path("pre-authorisations/<str:public_id>/", views.preauth_decide, name="preauth_decide"),
    path("finance/", views.finance, name="finance"),
    path("finance/<slug:slug>/export/", views.export, name="export"),
    path("finance/<slug:slug>/limits/", views.scheme_settings, name="settings"),
    path("batches/<str:public_id>/", views.batch, name="batch"),
    path("batches/<str:public_id>/csv/", views.batch_csv, name="batch_csv"),
    path("receipts/<str:item_id>/", views.receipt, name="receipt"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/items/new/", views.item_add, name="item_add"),
    path("<str:public_id>/items/<str:item_id>/remove/", views.item_remove, name="item_remove"),
    path("<str:public_id>/submit/", views.submit, name="submit"),
    path("<str:public_id>/answer/", views.answer, name="answer"),
    path("<str:public_id>/approve/", views.approve, name="approve"),
    path("<str:public_id>/query/", views.query, name="query"),
    path("<str:public_id>/reject/", views.reject, name="reject"),
]
