import type { ReactNode } from 'react';
import { MediaDeviceMenu, useTrackToggle } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { screenSharingSupported } from '../devices/mediaProblems';
import { useMessages } from '../i18n/I18nProvider';
import {
  AssistantHiddenIcon,
  AssistantIcon,
  CameraIcon,
  CaptionsIcon,
  ChevronUpIcon,
  ChatIcon,
  LeaveIcon,
  MicIcon,
  PeopleIcon,
  ScreenIcon,
} from './icons';

export type SidePanel = 'participants' | 'chat' | 'assistant';

const BUTTON = 'btn min-w-20 flex-col gap-1 px-3 py-2 text-xs text-slate-100';
const NEUTRAL = 'bg-slate-700 hover:bg-slate-600 aria-pressed:bg-sky-700';
const MUTED = 'bg-red-700 hover:bg-red-600';

/**
 * The bar at the bottom of the meeting: own media, panels, captions, hiding the assistant, leave.
 * With the assistant hidden, its panel button is gone too.
 */
export function MeetingControls({
  panel,
  onPanelChange,
  unread,
  captions,
  onCaptionsChange,
  assistantHidden,
  onAssistantHiddenChange,
  onLeave,
  onDeviceChange,
  onMediaError,
  recorded = false,
}: {
  panel: SidePanel | null;
  onPanelChange: (panel: SidePanel | null) => void;
  unread: Partial<Record<SidePanel, number>>;
  captions: boolean;
  onCaptionsChange: (on: boolean) => void;
  assistantHidden: boolean;
  onAssistantHiddenChange: (hidden: boolean) => void;
  onLeave: () => void;
  onDeviceChange: (kind: MediaDeviceKind, deviceId: string) => void;
  onMediaError: (source: Track.Source) => void;
  /** The meeting is being recorded: a lasting indicator at the start of the bar. */
  recorded?: boolean;
}) {
  const m = useMessages();
  const panelButton = (which: SidePanel, label: string, icon: ReactNode) => (
    <button
      type="button"
      className={`${BUTTON} ${NEUTRAL} relative`}
      aria-pressed={panel === which}
      aria-controls="side-panel"
      data-testid={`${which}-button`}
      onClick={() => onPanelChange(panel === which ? null : which)}
    >
      {icon}
      <span>{label}</span>
      {unread[which] ? (
        <span className="absolute right-1 top-1 rounded-full bg-red-600 px-1.5 text-[10px] font-semibold text-white">
          {unread[which]}
          <span className="sr-only"> {m.meeting.newItems(unread[which] ?? 0)}</span>
        </span>
      ) : null}
    </button>
  );

  return (
    <nav aria-label={m.meeting.controls} className="flex flex-wrap items-center justify-center gap-2 border-t border-slate-800 bg-slate-900 p-3">
      {recorded ? (
        <span
          role="status"
          data-testid="recording-indicator"
          title={m.meeting.recordingDetail}
          className="flex items-center gap-2 rounded-md bg-red-700/20 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-red-200"
        >
          <span aria-hidden="true" className="h-2.5 w-2.5 animate-pulse rounded-full bg-red-500 motion-reduce:animate-none" />
          <span>{m.meeting.recording}</span>
          <span className="sr-only">: {m.meeting.recordingDetail}</span>
        </span>
      ) : null}
      <MediaButton source={Track.Source.Microphone} label={m.meeting.microphone} onError={onMediaError} />
      <MediaDeviceMenu
        kind="audioinput"
        aria-label={m.meeting.chooseMicrophone}
        className="btn bg-slate-700 px-2 py-2 text-slate-100 hover:bg-slate-600"
        onActiveDeviceChange={onDeviceChange}
      >
        <ChevronUpIcon />
      </MediaDeviceMenu>
      <MediaButton source={Track.Source.Camera} label={m.meeting.camera} onError={onMediaError} />
      <MediaDeviceMenu
        kind="videoinput"
        aria-label={m.meeting.chooseCamera}
        className="btn bg-slate-700 px-2 py-2 text-slate-100 hover:bg-slate-600"
        onActiveDeviceChange={onDeviceChange}
      >
        <ChevronUpIcon />
      </MediaDeviceMenu>
      {screenSharingSupported() ? (
        <MediaButton source={Track.Source.ScreenShare} label={m.meeting.screenShare} onError={onMediaError} />
      ) : null}
      <span className="mx-1 hidden h-8 w-px bg-slate-700 sm:block" aria-hidden="true" />
      {panelButton('participants', m.meeting.participants, <PeopleIcon />)}
      {panelButton('chat', m.meeting.chat, <ChatIcon />)}
      {assistantHidden ? null : panelButton('assistant', m.meeting.assistant, <AssistantIcon />)}
      <button
        type="button"
        className={`${BUTTON} ${NEUTRAL}`}
        aria-pressed={captions}
        data-testid="captions-toggle"
        onClick={() => onCaptionsChange(!captions)}
      >
        <CaptionsIcon />
        <span>{m.meeting.captions}</span>
      </button>
      <button
        type="button"
        className={`${BUTTON} ${NEUTRAL}`}
        aria-pressed={assistantHidden}
        data-testid="hide-assistant-toggle"
        onClick={() => onAssistantHiddenChange(!assistantHidden)}
      >
        <AssistantHiddenIcon />
        <span>{m.meeting.hideAssistant}</span>
      </button>
      <span className="mx-1 hidden h-8 w-px bg-slate-700 sm:block" aria-hidden="true" />
      <button type="button" data-testid="leave-button" className="btn min-w-20 flex-col gap-1 bg-red-600 px-3 py-2 text-xs text-white hover:bg-red-700" onClick={onLeave}>
        <LeaveIcon />
        <span>{m.meeting.leave}</span>
      </button>
    </nav>
  );
}

type MediaSource = Track.Source.Camera | Track.Source.Microphone | Track.Source.ScreenShare;

function MediaButton({ source, label, onError }: { source: MediaSource; label: string; onError: (source: Track.Source) => void }) {
  const { buttonProps, enabled } = useTrackToggle({ source, onDeviceError: () => onError(source) });
  const icon =
    source === Track.Source.Microphone ? (
      <MicIcon off={!enabled} />
    ) : source === Track.Source.Camera ? (
      <CameraIcon off={!enabled} />
    ) : (
      <ScreenIcon />
    );
  return (
    <button
      {...buttonProps}
      type="button"
      data-testid={`${source}-toggle`}
      aria-pressed={enabled}
      className={`${BUTTON} ${enabled || source === Track.Source.ScreenShare ? NEUTRAL : MUTED}`}
    >
      {icon}
      <span>{label}</span>
    </button>
  );
}
