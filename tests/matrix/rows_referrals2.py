"""Rows for the referral pages, the social worker's list and notifications."""

from django.urls import reverse

from tests.matrix.base import LOGIN, NOT_FOUND, OK, REDIRECT, Expect, Row, everyone
from tests.matrix.rows_people import confirm_password

ANY_STAFF = everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK)
NORTH_STAFF = everyone(NOT_FOUND, coordinator=OK, manager=OK)
# Cal's referral: north's staff and Cal's social worker (who made it).
REFERRAL: Expect = everyone(NOT_FOUND, coordinator=OK, manager=OK, social_worker=OK)


def ref(name: str):
    return lambda w: reverse(name, args=[w.referral.public_id])


ROWS = {
    "referrals:inbox": Row(lambda w: reverse("referrals:inbox"), ANY_STAFF),
    "referrals:new": Row(
        lambda w: reverse("referrals:new"),
        everyone(
            NOT_FOUND,
            coordinator=OK,
            other_coordinator=OK,
            manager=OK,
            social_worker=OK,
            other_social_worker=OK,
        ),
    ),
    "referrals:waiting": Row(lambda w: reverse("referrals:waiting"), ANY_STAFF),
    "referrals:waiting_csv": Row(
        lambda w: reverse("referrals:waiting_csv"), ANY_STAFF, prepare=confirm_password
    ),
    # Without a fresh password, staff are asked for it; nobody else learns the page exists.
    "referrals:waiting_csv#no-sudo": Row(
        lambda w: reverse("referrals:waiting_csv"),
        everyone(NOT_FOUND, coordinator=REDIRECT, other_coordinator=REDIRECT, manager=REDIRECT),
    ),
    "referrals:detail": Row(ref("referrals:detail"), REFERRAL),
    # Only the author sends a draft; Cal's is already sent, so the author is told so.
    "referrals:send": Row(
        ref("referrals:send"), everyone(NOT_FOUND, social_worker=REDIRECT), method="post"
    ),
    "referrals:meeting": Row(ref("referrals:meeting"), NORTH_STAFF),
    "referrals:wait": Row(
        ref("referrals:wait"),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT),
        method="post",
    ),
    "referrals:close": Row(ref("referrals:close"), REFERRAL),
    "referrals:duplicates": Row(
        ref("referrals:duplicates"),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT),
        method="post",
    ),
    "children:placement": Row(
        lambda w: reverse("children:placement", args=[w.child.public_id]),
        everyone(NOT_FOUND, coordinator=OK, manager=OK, social_worker=OK),
    ),
    "children:review": Row(
        lambda w: reverse("children:review", args=[w.child.public_id]),
        everyone(NOT_FOUND, coordinator=OK, manager=OK, social_worker=OK),
    ),
    "notifications:list": Row(lambda w: reverse("notifications:list"), everyone(OK)),
    "notifications:open": Row(
        lambda w: reverse("notifications:open", args=[w.notification.public_id]),
        everyone(NOT_FOUND, coordinator=REDIRECT, anonymous=LOGIN),
        method="post",
    ),
}
