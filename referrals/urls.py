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
