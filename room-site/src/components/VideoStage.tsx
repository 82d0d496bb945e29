import { useEffect, useState } from 'react';
import { ParticipantTile, useSpeakingParticipants, useTracks, type TrackReferenceOrPlaceholder } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { isAgentParticipant } from '../agent/participants';
import { useMessages } from '../i18n/I18nProvider';
import { chooseSpotlight } from '../layout/spotlight';

/**
 * Everyone's video. A shared screen, or in larger meetings the latest remote speaker, gets the
 * big spot; the rest sit in a grid. Tiles show names, muted microphones and connection quality.
 */
export function VideoStage() {
  const m = useMessages();
  const tracks = useTracks(
    [
      { source: Track.Source.Camera, withPlaceholder: true },
      { source: Track.Source.ScreenShare, withPlaceholder: false },
    ],
    { onlySubscribed: false },
  );
  const lastSpeaker = useLastRemoteSpeaker();
  const spotlight = chooseSpotlight(tracks, lastSpeaker);
  const rest = spotlight ? tracks.filter((track) => track !== spotlight) : tracks;

  return (
    <section aria-label={m.meeting.videoGrid} className="flex h-full min-h-0 flex-col gap-2 p-2" data-testid="video-stage">
      {spotlight ? (
        <div className="min-h-0 flex-[3]" data-testid="spotlight">
          <Tile track={spotlight} />
        </div>
      ) : null}
      <div
        className={`grid min-h-0 flex-1 auto-rows-fr gap-2 ${spotlight ? 'grid-cols-[repeat(auto-fit,minmax(160px,1fr))]' : 'grid-cols-[repeat(auto-fit,minmax(260px,1fr))]'}`}
      >
        {rest.map((track) => (
          <Tile key={`${track.participant.identity}:${track.source}`} track={track} />
        ))}
      </div>
    </section>
  );
}

function Tile({ track }: { track: TrackReferenceOrPlaceholder }) {
  const m = useMessages();
  return (
    <div className="relative h-full min-h-0">
      <ParticipantTile trackRef={track} className="h-full" />
      {isAgentParticipant(track.participant) ? (
        <span className="absolute left-2 top-2 rounded-full bg-violet-600 px-2 py-0.5 text-xs font-medium text-white">
          {m.participants.aiBadge}
        </span>
      ) : null}
    </div>
  );
}

/** Keeps the last remote person who spoke, so the spotlight does not jump away in a pause. */
function useLastRemoteSpeaker(): string | null {
  const speakers = useSpeakingParticipants();
  const [last, setLast] = useState<string | null>(null);
  const loudest = speakers.find((participant) => !participant.isLocal)?.identity ?? null;
  useEffect(() => {
    if (loudest) setLast(loudest);
  }, [loudest]);
  return last;
}
