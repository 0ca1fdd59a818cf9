from django.contrib import admin
from django.urls import include, path

from accounts.admin_site import SuperuserOTPAdminSite
from accounts.urls import people_patterns
from portal import views as portal_views
from referrals.urls import referral_patterns

# The admin: django-otp's site (a code at sign-in), narrowed to superusers. The default site
# object keeps every registration; only its class changes.
admin.site.__class__ = SuperuserOTPAdminSite

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include(people_patterns)),
    path("children/", include("referrals.urls")),
    path("referrals/", include(referral_patterns)),
    path("matches/", include("matches.urls")),
    path("visits/", include("visits.urls")),
    path("expenses/", include("expenses.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("notifications/", include("notifications.urls")),
    path("complaints/", include("complaints.urls")),
    path("reports/", include("reports.urls")),
    path("data-protection/", include("dataprotection.urls")),
    path("", include("volunteers.urls")),
    path("admin/", admin.site.urls),  # superusers with a two-factor code only (see above)
    path("", include("portal.urls")),
]
