"""The assistant in a meeting, end to end without a LiveKit server: two people talk at once into
real LiveKit audio tracks; the assistant transcribes each of them, attributes every segment,
stores it and publishes it as a caption, finds the clinic's passage in its knowledge base (never
another entity's), suggests it, answers a typed question, and at the end writes the notes and the
usage ledger."""
from __future__ import annotations

import asyncio
import json

from tests.agent.conftest import ANA_SAYS, BRUNO_SAYS, build_session, wait_for
from tests.support.mock_room import human
from tests.support.speech import play, speech


def published(room) -> list[dict]:
    return [json.loads(c.args[0]) for c in room.local_participant.publish_data.await_args_list
            if c.kwargs.get("topic") == "agent.suggestions"]


def test_two_people_talking_at_once_are_each_transcribed_attributed_and_helped(room, conn, ears, knowledge):
    from livekit import rtc

    invitation, session = build_session(room, conn, ears)
    ana_id, bruno_id = (g.participant_id for g in invitation.guests)
    ana, bruno = human(f"participant_{ana_id}", "Dra. Ana"), human(f"participant_{bruno_id}", "Bruno")

    async def meeting():
        await session.start()
        sources = {}
        for who in (ana, bruno):
            room.emit_event("participant_connected", who)
            source = rtc.AudioSource(16000, 1)
            sources[who.identity] = source
            room.emit_event("track_subscribed", rtc.LocalAudioTrack.create_audio_track("mic", source), None, who)
        # Both speak at the same time.
        await asyncio.gather(play(sources[ana.identity], speech(0.3, ANA_SAYS, 1.2)),
                             play(sources[bruno.identity], speech(0.6, BRUNO_SAYS, 1.2)))
        await wait_for(lambda: len(room.captions) >= 2 and published(room), 60, "two captions and a suggestion")
        room.emit_event("participant_disconnected", bruno)
        await session.close()

    asyncio.run(meeting())

    # Captions: one per utterance, published on behalf of the speaker, final.
    by_speaker = {c["sender_identity"]: c for c in room.captions}
    assert set(by_speaker) == {ana.identity, bruno.identity}
    assert all(c["topic"] == "lk.transcription" and c["attributes"]["lk.transcription_final"] == "true"
               for c in room.captions)
    assert "recommended dose" in by_speaker[ana.identity]["text"].lower()  # Whisper base may hear "a moxicillin"
    assert "fever" in by_speaker[bruno.identity]["text"].lower()

    # Stored, attributed to the right participant, with times.
    rows = conn.execute("SELECT participant_id, speaker_name, text, started_at, ended_at FROM transcript_segments"
                        " WHERE room_id = %s ORDER BY started_at", (invitation.room_id,)).fetchall()
    assert {(r["participant_id"], r["speaker_name"]) for r in rows} == {(ana_id, "Dra. Ana"), (bruno_id, "Bruno")}
    assert all(r["ended_at"] > r["started_at"] for r in rows)
    assert any("ear pain" in r["text"].lower() for r in rows if r["participant_id"] == bruno_id)

    # The suggestion quotes the clinic's protocol (page 2), never the other entity's handbook.
    suggestions = published(room)
    assert suggestions and all(s["type"] == "suggestion" and s["mode"] == "extractive" for s in suggestions)
    first = next(s for s in suggestions if s["kind"] == "suggestion")
    assert first["sources"][0]["filename"] == "otitis-protocol.pdf" and first["sources"][0]["page"] == 2
    assert "80 to 90 mg" in first["text"]
    assert all(src["filename"] != "design-handbook.pdf" for s in suggestions for src in s["sources"])
    assert "500 mg" not in json.dumps(suggestions)

    # Everything recorded.
    events = conn.execute("SELECT event_type, interaction_type, participant_id FROM agent_session_events"
                          " WHERE room_id = %s ORDER BY id", (invitation.room_id,)).fetchall()
    kinds = [e["event_type"] for e in events]
    assert kinds[0] == "agent_joined" and kinds[-1] == "agent_left"
    assert kinds.count("participant_joined") == 2 and kinds.count("participant_left") == 1
    assert kinds.count("transcript") == len(rows) and "suggestion" in kinds and "summary" in kinds
    assert {e["participant_id"] for e in events if e["event_type"] == "transcript"} == {ana_id, bruno_id}

    # Notes and the usage ledger.
    notes = conn.execute("SELECT summary, mode FROM meeting_summaries WHERE room_id = %s",
                         (invitation.room_id,)).fetchone()
    assert notes["mode"] == "extractive" and "Dra. Ana" in notes["summary"] and "Bruno" in notes["summary"]
    usage = conn.execute("SELECT * FROM agent_usage WHERE room_id = %s", (invitation.room_id,)).fetchall()
    assert len(usage) == 1
    u = usage[0]
    assert u["stt_model"] == "offline:whisper-base" and u["embedding_model"].startswith("local:all-MiniLM")
    assert 3.0 < float(u["stt_seconds"]) < 12.0  # about the speech, not the silence
    assert u["embedding_tokens"] > 0 and float(u["cost_usd"]) == 0.0 and u["ended_at"] is not None
    assert u["duration_seconds"] == int((u["ended_at"] - u["started_at"]).total_seconds())
    # The claim on the room is released for the next meeting.
    assert conn.execute("SELECT 1 FROM agent_claims WHERE room_id = %s", (invitation.room_id,)).fetchone() is None


def test_a_question_typed_in_the_agent_panel_is_answered_with_sources(room, conn, ears, knowledge):
    invitation, session = build_session(room, conn, ears, guests=1)
    ana = human(f"participant_{invitation.guest.participant_id}", "Dra. Ana")

    async def ask():
        await session.start()
        room.emit_event("participant_connected", ana)
        for payload in (b"not json", json.dumps({"type": "question", "id": "", "text": "x"}).encode(),
                        json.dumps({"type": "question", "id": "q-1", "text": " How long is the amoxicillin "
                                    "course for otitis? "}).encode()):
            room.emit_event("data_received", rtc_packet(payload, ana, "agent.questions"))
        # Another topic is not a question to the assistant.
        room.emit_event("data_received", rtc_packet(b'{"type":"question","id":"q-2","text":"hi"}', ana, "chat"))
        await wait_for(lambda: published(room), 30, "an answer")
        await session.close()

    asyncio.run(ask())
    [answer] = published(room)
    assert (answer["kind"], answer["in_reply_to"]) == ("answer", "q-1")
    assert answer["question"] == "How long is the amoxicillin course for otitis?"
    assert answer["sources"][0]["filename"] == "otitis-protocol.pdf"
    rows = conn.execute("SELECT event_type, interaction_type, content FROM agent_session_events WHERE room_id = %s"
                        " AND event_type IN ('question', 'answer')", (invitation.room_id,)).fetchall()
    assert [(r["event_type"], r["interaction_type"]) for r in rows] == [
        ("question", "direct_question"), ("answer", "answer_to_question")]


def rtc_packet(data: bytes, participant, topic: str):
    from types import SimpleNamespace

    from livekit import rtc

    return SimpleNamespace(data=data, participant=participant, topic=topic, kind=rtc.DataPacketKind.KIND_RELIABLE)
