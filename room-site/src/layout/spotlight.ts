/**
 * Which tile gets the big spot: a shared screen first, else the latest remote speaker once
 * the meeting has more than two tiles (with two, side by side is already the best view).
 */
export interface TileLike {
  participant: { identity: string; isLocal: boolean };
  source: string;
}

export function chooseSpotlight<T extends TileLike>(tiles: T[], lastSpeakerIdentity: string | null): T | null {
  const screen = tiles.find((tile) => tile.source === 'screen_share');
  if (screen) return screen;
  if (tiles.length <= 2 || !lastSpeakerIdentity) return null;
  return (
    tiles.find(
      (tile) =>
        tile.source === 'camera' && tile.participant.identity === lastSpeakerIdentity && !tile.participant.isLocal,
    ) ?? null
  );
}
