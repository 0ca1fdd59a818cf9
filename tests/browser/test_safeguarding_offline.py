"""A worry written with no signal stays on the phone, encrypted, and is sent once when the
signal comes back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.models import Concern
from tests.personas import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]

STORED = """() => new Promise(resolve => {
  const r = indexedDB.open('ivscheme-visits');
  r.onsuccess = () => { const db = r.result;
    if (!db.objectStoreNames.contains('reports')) { resolve([]); return; }
    const q = db.transaction('reports').objectStore('reports').getAllKeys();
    q.onsuccess = () => resolve(q.result.filter(k => String(k).startsWith('concern:'))); };
})"""

# The stored worries that still hold what was typed (a sent one keeps only its address).
CONTENT = """() => new Promise(resolve => {
  const r = indexedDB.open('ivscheme-visits');
  r.onsuccess = () => {
    const q = r.result.transaction('reports').objectStore('reports').getAll();
    q.onsuccess = () => resolve(q.result.filter(x => x.data || x.iv).map(x => x.visit)); };
})"""


def test_worry_sent_when_the_signal_comes_back(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.iv)
    bpage.goto(reverse("safeguarding:raise"))
    page.get_by_role("heading", name="Report a worry about a child").wait_for()
    bpage.assert_accessible()
    before = Concern.objects.count()

    page.get_by_label("Kind of concern").select_option("neglect")
    page.get_by_label("What did you see or hear?").fill("No coat, shivering at the bus stop.")
    page.get_by_text("Saved on this phone at").wait_for()
    assert page.evaluate(STORED), "the draft is kept on the phone while typing"
    page.context.set_offline(True)
    page.get_by_label("What did the child say? Use their words if you can.").fill(
        "Mum says coats are for babies"
    )
    page.get_by_label("Yes, I told the child I would have to pass this on").check()
    page.get_by_role("button", name="Send to the coordinator now").click()
    page.get_by_text(
        "Saved on this phone, not sent yet: it will be sent when you have signal. "
        "If the child is in danger, call 999 now."
    ).wait_for()
    bpage.assert_accessible()
    assert Concern.objects.count() == before
    # Nothing readable is stored: the typed words are encrypted.
    stored_text = page.evaluate(
        """() => new Promise(resolve => {
             const r = indexedDB.open('ivscheme-visits');
             r.onsuccess = () => {
               const q = r.result.transaction('reports').objectStore('reports').getAll();
               q.onsuccess = () => resolve(JSON.stringify(q.result.map(x => ({
                 k: x.visit, s: x.state, d: new TextDecoder().decode(x.data) }))));
             };
           })"""
    )
    assert "shivering" not in stored_text and world.child.last_name not in stored_text

    page.context.set_offline(False)
    page.get_by_role("heading", name="Your report has been sent").wait_for(timeout=30_000)
    bpage.assert_accessible()
    assert Concern.objects.count() == before + 1
    concern = Concern.objects.order_by("-created_at").first()
    assert concern is not None and concern.raised_by_id == world.iv.pk
    assert concern.childs_words == "Mum says coats are for babies"
    assert concern.client_id is not None
    assert page.evaluate(CONTENT) == [], "nothing the IV typed stays on the phone once sent"


def test_two_tabs_send_the_worry_once_and_both_say_so(bpage, world: World) -> None:
    """The worry waits in two tabs when the signal comes back (and the service worker may try
    too): one sender posts it, the other waits for its answer, and both tabs say it is sent."""
    page = bpage.page
    raise_url = bpage.base_url + reverse("safeguarding:raise")
    bpage.login(world.iv)
    bpage.goto(reverse("safeguarding:raise"))
    before = Concern.objects.count()
    page.get_by_label("Kind of concern").select_option("neglect")
    page.get_by_label("What did you see or hear?").fill("Bruise on his arm, would not say why.")
    page.get_by_label("Yes, I told the child I would have to pass this on").check()
    page.get_by_text("Saved on this phone at").wait_for()

    def no_signal(route) -> None:  # pages still load; only sending fails, as on a weak signal
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.context.route(raise_url, no_signal)
    page.get_by_role("button", name="Send to the coordinator now").click()
    page.get_by_text("Saved on this phone, not sent yet").wait_for()
    other = page.context.new_page()
    other.goto(raise_url)
    other.get_by_text("Saved on this phone, not sent yet").wait_for()
    assert other.get_by_label("What did you see or hear?").input_value() == (
        "Bruise on his arm, would not say why."
    )
    assert Concern.objects.count() == before

    posts: list[str] = []
    page.context.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.context.unroute(raise_url)
    for tab in (page, other):  # the signal is back: both tabs try at once
        tab.evaluate("window.dispatchEvent(new Event('online'))")
    for tab in (page, other):
        tab.get_by_role("heading", name="Your report has been sent").wait_for(timeout=30_000)
    assert Concern.objects.count() == before + 1
    assert len(posts) == 1, posts
    assert page.evaluate(CONTENT) == []
