import '@livekit/components-styles';
import { useCallback, useRef, useState } from 'react';
import {
  LiveKitRoom,
  RoomAudioRenderer,
  StartAudio,
  useChat,
  useConnectionState,
  useParticipants,
  useRoomContext,
} from '@livekit/components-react';
import { Track, type DisconnectReason, type RoomOptions } from 'livekit-client';
import { agentStatusOf } from '../agent/agentStatus';
import { isAgentParticipant } from '../agent/participants';
import { useAgentQuestions } from '../agent/useAgentQuestions';
import { useAgentSuggestions } from '../agent/useAgentSuggestions';
import type { DevicePreferences } from '../devices/devicePreferences';
import { useI18n } from '../i18n/I18nProvider';
import { formatClockTime } from '../i18n/format';
import { connectionPhaseOf, leftReasonOf, type LeftReason } from '../meetingExit';
import { summarizeParticipant } from '../roomParticipants';
import { AgentPanel } from './AgentPanel';
import { ChatPanel, type ChatLine } from './ChatPanel';
import { ConnectionStatus } from './ConnectionStatus';
import { MeetingControls, type SidePanel } from './MeetingControls';
import { ParticipantList } from './ParticipantList';
import { useMeetingPreferences } from '../hooks/useMeetingPreferences';
import { useUnreadCount } from '../hooks/useUnreadCount';
import { LiveCaptions } from './LiveCaptions';
import { VideoStage } from './VideoStage';

export interface MeetingRoomProps {
  serverUrl: string;
  token: string;
  title: string;
  participantName: string;
  camera: boolean;
  microphone: boolean;
  devices: DevicePreferences;
  onDeviceChange: (kind: MediaDeviceKind, deviceId: string) => void;
  onLeft: (reason: LeftReason) => void;
  /** The meeting is being recorded (from the join answer). */
  recorded?: boolean;
}

/** The meeting itself: connects to LiveKit and lays out video, panels and controls. */
export function MeetingRoom({ serverUrl, token, title, participantName, camera, microphone, devices, onDeviceChange, onLeft, recorded = false }: MeetingRoomProps) {
  const [attempt, setAttempt] = useState(0);
  const [connectFailed, setConnectFailed] = useState(false);
  const connected = useRef(false);
  const leaving = useRef(false);
  const latestOnLeft = useRef(onLeft);
  latestOnLeft.current = onLeft;

  // LiveKitRoom reconnects whenever onError or the capture options change identity, so
  // everything handed to it is fixed for the life of the room; device switches during the
  // meeting go through the room itself (MediaDeviceMenu), not through these props.
  const [media] = useState(() => ({
    video: camera ? (devices.videoInputId ? { deviceId: devices.videoInputId } : true) : false,
    audio: microphone ? (devices.audioInputId ? { deviceId: devices.audioInputId } : true) : false,
    options: {
      adaptiveStream: true,
      dynacast: true,
      videoCaptureDefaults: devices.videoInputId ? { deviceId: devices.videoInputId } : undefined,
      audioCaptureDefaults: devices.audioInputId ? { deviceId: devices.audioInputId } : undefined,
      audioOutput: devices.audioOutputId ? { deviceId: devices.audioOutputId } : undefined,
    } satisfies RoomOptions,
  }));
  const handleConnected = useCallback(() => {
    connected.current = true;
    setConnectFailed(false);
  }, []);
  const handleDisconnected = useCallback((reason?: DisconnectReason) => {
    if (leaving.current) return;
    // Failing to connect at all is not "leaving": stay and offer a retry.
    if (connected.current) latestOnLeft.current(leftReasonOf(reason));
    else setConnectFailed(true);
  }, []);
  const handleError = useCallback(() => {
    if (!connected.current) setConnectFailed(true);
  }, []);
  // Leaving works even while (re)connecting, when no Disconnected event would follow.
  const leave = useCallback(() => {
    leaving.current = true;
    latestOnLeft.current('left');
  }, []);
  const retry = useCallback(() => {
    setConnectFailed(false);
    setAttempt((n) => n + 1);
  }, []);

  return (
    <div data-testid="meeting-room" data-lk-theme="default" className="h-dvh bg-slate-950 text-slate-50">
      <LiveKitRoom
        key={attempt}
        serverUrl={serverUrl}
        token={token}
        connect
        video={media.video}
        audio={media.audio}
        options={media.options}
        className="h-full"
        onConnected={handleConnected}
        onDisconnected={handleDisconnected}
        onError={handleError}
      >
        <MeetingLayout
          title={title}
          participantName={participantName}
          connectFailed={connectFailed}
          onRetry={retry}
          onLeave={leave}
          onDeviceChange={onDeviceChange}
          recorded={recorded}
        />
      </LiveKitRoom>
    </div>
  );
}

function MeetingLayout({
  title,
  participantName,
  connectFailed,
  onRetry,
  onLeave,
  onDeviceChange,
  recorded,
}: {
  title: string;
  participantName: string;
  connectFailed: boolean;
  onRetry: () => void;
  onLeave: () => void;
  onDeviceChange: (kind: MediaDeviceKind, deviceId: string) => void;
  recorded: boolean;
}) {
  const { language, messages: m } = useI18n();
  const room = useRoomContext();
  const phase = connectionPhaseOf(useConnectionState());
  const participants = useParticipants();
  const suggestions = useAgentSuggestions();
  const questions = useAgentQuestions(suggestions);
  const chat = useChat();
  const { preferences, updatePreferences } = useMeetingPreferences();
  const [panel, setPanel] = useState<SidePanel | null>(() =>
    !preferences.assistantHidden && typeof window !== 'undefined' && window.matchMedia?.('(min-width: 1024px)').matches
      ? 'assistant'
      : null,
  );
  // Hidden means none of the assistant's panel is on the page, whatever was open before.
  const shownPanel = panel === 'assistant' && preferences.assistantHidden ? null : panel;
  const [mediaProblem, setMediaProblem] = useState<string | null>(null);

  const chatLines: ChatLine[] = chat.chatMessages.map((message) => ({
    id: message.id,
    sender: message.from?.name || message.from?.identity || m.chat.someone,
    mine: !!message.from?.isLocal,
    text: message.message,
    time: formatClockTime(new Date(message.timestamp).toISOString(), language),
  }));
  const unread = {
    chat: useUnreadCount(chatLines.filter((line) => !line.mine).length, shownPanel === 'chat'),
    assistant: useUnreadCount(suggestions.length, shownPanel === 'assistant'),
  };
  const agent = participants.find((participant) => isAgentParticipant(participant));
  const agentStatus = agentStatusOf(agent?.attributes);

  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center justify-between gap-3 border-b border-slate-800 px-4 py-2">
        <h1 className="truncate text-base font-semibold">{title}</h1>
        <ConnectionStatus phase={phase} />
      </header>
      {connectFailed || mediaProblem ? (
        <div role="alert" className="flex items-center justify-center gap-3 bg-red-900 px-4 py-2 text-sm">
          <span>{connectFailed ? m.meeting.connectFailed : mediaProblem}</span>
          {connectFailed ? (
            <button type="button" className="btn bg-white px-3 py-1 text-slate-900" onClick={onRetry}>
              {m.meeting.retry}
            </button>
          ) : (
            <button type="button" className="underline" onClick={() => setMediaProblem(null)}>
              {m.meeting.dismiss}
            </button>
          )}
        </div>
      ) : null}
      <div className="relative flex min-h-0 flex-1">
        <main className="relative min-w-0 flex-1">
          <VideoStage />
          <LiveCaptions
            visible={preferences.captions}
            localName={participantName}
            offlineNote={agent && agentStatus.offlineSpeech ? m.captions.offlineSpeech(agentStatus.speechLanguages) : null}
          />
        </main>
        {shownPanel ? (
          <aside
            id="side-panel"
            className="absolute inset-0 z-10 w-full border-l border-slate-800 bg-slate-900 p-4 lg:static lg:w-96"
          >
            {shownPanel === 'participants' ? (
              <ParticipantList participants={participants.map((participant) => summarizeParticipant(participant, participantName))} />
            ) : shownPanel === 'chat' ? (
              <ChatPanel lines={chatLines} sending={chat.isSending} onSend={async (text) => void (await chat.send(text))} />
            ) : (
              <AgentPanel suggestions={suggestions} agentPresent={!!agent} status={agentStatus} questions={questions} />
            )}
          </aside>
        ) : null}
      </div>
      <MeetingControls
        recorded={recorded}
        panel={shownPanel}
        onPanelChange={setPanel}
        unread={unread}
        captions={preferences.captions}
        onCaptionsChange={(captions) => updatePreferences({ captions })}
        assistantHidden={preferences.assistantHidden}
        onAssistantHiddenChange={(assistantHidden) => {
          updatePreferences({ assistantHidden });
          if (assistantHidden && panel === 'assistant') setPanel(null); // not back when shown again
        }}
        onLeave={() => {
          void room.disconnect();
          onLeave();
        }}
        onDeviceChange={onDeviceChange}
        onMediaError={(source) =>
          setMediaProblem(
            source === Track.Source.Camera
              ? m.meeting.cameraFailed
              : source === Track.Source.Microphone
                ? m.meeting.microphoneFailed
                : m.meeting.screenShareFailed,
          )
        }
      />
      <RoomAudioRenderer />
      <StartAudio label={m.meeting.startAudio} className="btn-primary fixed bottom-24 left-1/2 z-20 -translate-x-1/2" />
    </div>
  );
}
