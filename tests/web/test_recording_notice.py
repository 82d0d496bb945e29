"""Every participant is told that a meeting is recorded, in a real browser: the staging area
says so before the password is entered, and the control bar shows it during the meeting; a
meeting that is not recorded says neither."""
from __future__ import annotations

import re

import pytest

from tests.integration.join_support import make_invitation

playwright = pytest.importorskip("playwright.sync_api", reason="the dev extra (playwright) is not installed")
expect = playwright.expect


@pytest.fixture
def invitation(conn, request):
    """An invitation of the clinic, recorded or not as the test's parameter says."""
    recorded = request.param
    invitation = make_invitation(conn, title="Retorno gravado" if recorded else "Retorno")
    conn.execute("UPDATE entities SET record_meetings = %s WHERE id = %s", (recorded, invitation.entity_id))
    conn.execute("UPDATE rooms SET record = %s WHERE id = %s", (recorded, invitation.room_id))
    yield invitation, recorded
    conn.execute("UPDATE entities SET record_meetings = false WHERE id = %s", (invitation.entity_id,))


@pytest.mark.parametrize("invitation", [True, False], ids=["recorded", "not-recorded"], indirect=True)
def test_the_recording_notice_shows_when_and_only_when_the_meeting_is_recorded(page, web_stack, invitation):
    invitation, recorded = invitation
    guest = invitation.guest
    page.goto(f"{web_stack.site_url}/join#token={guest.token}")
    staging = page.get_by_test_id("staging-area")
    expect(staging).to_contain_text(invitation.title)
    notice = page.get_by_test_id("recording-notice")
    if recorded:
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Esta reunião é gravada")
        # Seen next to the password, before the participant decides to join.
        assert page.get_by_role("note").filter(has_text="gravada").count() == 1
    else:
        expect(page.get_by_test_id("password-input")).to_be_visible()
        expect(notice).to_have_count(0)

    page.get_by_test_id("password-input").fill(guest.password)
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/rooms/{invitation.room_id}/join")) as joined:
        page.get_by_test_id("join-button").click()
    assert joined.value.status == 200 and joined.value.json()["recorded"] is recorded
    page.wait_for_url(re.compile(r"/room#token="))
    page.get_by_test_id("meeting-room").wait_for()
    controls = page.get_by_role("navigation", name="Controles da reunião")
    expect(controls).to_be_visible()
    indicator = controls.get_by_test_id("recording-indicator")
    if recorded:
        expect(indicator).to_be_visible()
        expect(indicator).to_contain_text("Gravando")
    else:
        expect(indicator).to_have_count(0)
