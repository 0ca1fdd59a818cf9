"""The accessibility check itself: it finds a violation, and it still finds one on the same
page after the page changes (the axe script is put into each document once)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def test_the_check_fails_on_an_unlabelled_field_and_after_a_change(bpage) -> None:
    page = bpage.page
    page.set_content(
        "<html lang='en'><head><title>Check</title></head><body><main><h1>Form</h1>"
        "<label for='a'>Name</label><input id='a'></main></body></html>"
    )
    bpage.assert_accessible()
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input>')")
    with pytest.raises(pytest.fail.Exception, match="label"):
        bpage.assert_accessible()
    page.set_content("<html><body><input></body></html>")
    with pytest.raises(pytest.fail.Exception, match="violation"):
        bpage.assert_accessible()
