from django.urls import path

from referrals import views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create, name="create"),
    path("<str:public_id>/", views.child_detail, name="detail"),
    path("<str:public_id>/edit/", views.child_edit, name="edit"),
    path("<str:public_id>/placement/", views.placement_change, name="placement"),
    path("<str:public_id>/review/", views.review_add, name="review"),
    path("<str:public_id>/card/", views.visit_card, name="visit_card"),
]

# The referrals, under /referrals/ (namespace "referrals"); the children above are under
# /children/ (namespace "children"). ivscheme/urls.py includes both.
referral_patterns = (
    [
        path("", views.referral_inbox, name="inbox"),
        path("new/", views.referral_new, name="new"),
        path("waiting/", views.waiting_list, name="waiting"),
        path("waiting.csv", views.waiting_list_csv, name="waiting_csv"),
        path("<str:public_id>/", views.referral_detail, name="detail"),
        path("<str:public_id>/send/", views.referral_send, name="send"),
        path("<str:public_id>/meeting/", views.referral_meeting, name="meeting"),
        path("<str:public_id>/wait/", views.referral_wait, name="wait"),
        path("<str:public_id>/close/", views.referral_close, name="close"),
        path("<str:public_id>/duplicates/", views.referral_duplicates, name="duplicates"),
    ],
    "referrals",
)
