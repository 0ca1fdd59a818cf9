"""A carer complains through the public form; staff take it through stage 1 and 2, on a phone
and a desktop, with axe on every page and the acknowledgement letter checked as text and as
an image."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintLetter
from tests.personas import PASSWORD, World

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def step(bpage, complaint: Complaint, label: str) -> None:
    bpage.goto(reverse("complaints:detail", args=[complaint.public_id]))
    bpage.page.get_by_role("link", name=label).click()
    bpage.page.get_by_role("heading", level=1, name=re.compile(label)).wait_for()
    bpage.assert_accessible()


def test_carer_complaint_through_two_stages(bpage, world: World, tmp_path: Path) -> None:
    page = bpage.page
    # 1. A carer, with no account, uses the public form; a mistake keeps what was typed.
    bpage.goto(reverse("complaints:make", args=["north"]))
    page.get_by_role("heading", level=1, name="Make a complaint to North IV Scheme").wait_for()
    bpage.assert_accessible()
    page.get_by_label("Your name").fill("Carrie Carer")
    page.get_by_label("Carer", exact=True).check()
    page.get_by_label("The service", exact=True).check()
    page.get_by_label("What happened?").fill("Amy's visit was cancelled three times.")
    submit(page, "Send complaint")
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Your name").input_value() == "Carrie Carer"
    bpage.assert_accessible()
    page.get_by_label("Email address").fill("carrie@example.net")
    page.get_by_label("If you are complaining for someone else, their first name").fill("Amy")
    submit(page, "Send complaint")
    page.get_by_role("heading", level=1, name="Your complaint has been sent").wait_for()
    reference = page.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"C-\d{4}-\d{4}", reference)
    bpage.assert_accessible()
    complaint = Complaint.objects.get(reference=reference)

    # 2. The manager sees it on the register and acknowledges it.
    bpage.login(world.manager)
    bpage.goto(reverse("complaints:register"))
    page.get_by_role("link", name=reference).wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", level=1, name=f"Complaint {reference}").wait_for()
    bpage.assert_accessible()
    step(bpage, complaint, "Acknowledge")
    page.get_by_label("Responsible manager for stage 1").select_option(label="Mona Manager")
    submit(page, "Acknowledge")
    page.get_by_text("The complaint has been acknowledged").wait_for()
    bpage.assert_accessible()

    # The acknowledgement letter: a fresh password, then the PDF, as text and as an image.
    bpage.goto(reverse("accounts:sudo") + "?next=" + reverse("complaints:register"))
    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, "Confirm password")
    letter = ComplaintLetter.objects.get(complaint=complaint, kind="acknowledgement")
    response = page.request.get(
        bpage.base_url + reverse("complaints:letter", args=[complaint.public_id, letter.public_id])
    )
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "acknowledgement.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Dear Carrie Carer" in text.stdout and reference in text.stdout
    assert "Mona Manager" in text.stdout
    png_base = Path("var/screenshots") / f"complaint-acknowledgement-{bpage.viewport}"
    png_base.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(png_base)], check=True
    )
    png = png_base.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000

    # 3. Stage 1 is extended with a reason.
    step(bpage, complaint, "Extend the deadline")
    submit(page, "Extend the deadline")  # no reason: refused, with the field named
    page.get_by_role("alert").wait_for()
    page.get_by_label("Reason for the extension").fill("The IV is away until next week.")
    submit(page, "Extend the deadline")
    page.get_by_text("Stage 1 now ends on").wait_for()
    complaint.refresh_from_db()
    assert complaint.stages.get().extended

    # 4. Stage 1 response; the complainant asks to escalate; stage 2 responds and closes.
    step(bpage, complaint, "Record the response")
    page.get_by_label("Partly upheld").check()
    page.get_by_label("Response to the complainant").fill("We are sorry; visits were rearranged.")
    submit(page, "Record the response")
    page.get_by_text("The response has been recorded").wait_for()
    step(bpage, complaint, "Escalate to the next stage")
    page.get_by_label("What the complainant said").fill("Not satisfied.")
    page.get_by_label("Complaints officer").fill("Alex Moore")
    page.get_by_label("Independent person").fill("Pat Quinn")
    submit(page, "Escalate to the next stage")
    page.get_by_text("The complaint is now at stage 2.").wait_for()
    step(bpage, complaint, "Record the response")
    page.get_by_label("Not upheld").check()
    page.get_by_label("Response to the complainant").fill("The investigation found no fault.")
    submit(page, "Record the response")
    page.get_by_text("The response has been recorded").wait_for()
    step(bpage, complaint, "Close with findings")
    page.get_by_label("Not upheld").check()
    page.get_by_label("Lessons learned").fill("Tell carers in writing when visits move.")
    submit(page, "Close with findings")
    page.get_by_text("The complaint has been closed.").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("complaint-closed")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.finding == "not_upheld"
    assert [s.number for s in complaint.stages.all()] == [1, 2]

    # The register no longer lists it, and its counts show the outcome.
    bpage.goto(reverse("complaints:register"))
    assert page.get_by_role("link", name=reference).count() == 0
    bpage.assert_accessible()


def test_subject_coordinator_and_letters_pages(bpage, world: World) -> None:
    from complaints.tests.factories import about_coordinator, make_complaint

    hidden = about_coordinator(world)
    shown = make_complaint(world, name="Visible Person")
    page = bpage.page
    bpage.login(world.coordinator)
    bpage.goto(reverse("complaints:register"))
    page.get_by_role("link", name=shown.reference).wait_for()
    assert page.get_by_role("link", name=hidden.reference).count() == 0
    bpage.assert_accessible()
    assert bpage.goto(reverse("complaints:detail", args=[hidden.public_id])).status == 404
    bpage.console_errors.clear()  # that 404 was the point
    bpage.goto(reverse("complaints:create"))
    page.get_by_label("Complainant's name").fill("Typed Name")
    submit(page, "Record complaint")
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Complainant's name").input_value() == "Typed Name"
    bpage.assert_accessible()

    bpage.login(world.complaints_manager)
    bpage.goto(reverse("complaints:detail", args=[hidden.public_id]))
    page.get_by_role("heading", level=1, name=f"Complaint {hidden.reference}").wait_for()
    bpage.assert_accessible()
    bpage.goto(reverse("complaints:letter_templates", args=["north"]))
    bpage.assert_accessible()
    page.get_by_role("link", name="Acknowledgement").click()
    page.get_by_label("Wording").fill("Dear {{ complainant_name }}, {{ nonsense }}")
    submit(page, "Save wording")
    page.get_by_role("alert").wait_for()
    bpage.assert_accessible()
    bpage.goto(reverse("complaints:made", args=["north"]))
    bpage.assert_accessible()
