import type { ErrorKind } from '../meetingErrors';
import type { MediaProblem } from '../devices/mediaProblems';

const minutes = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);

export const en = {
  appName: 'doctor-live',
  skipToContent: 'Skip to content',
  language: { label: 'Language' },

  landing: {
    title: 'Join a meeting',
    intro: 'Paste the invitation link you received by e-mail or WhatsApp, or just its code.',
    inputLabel: 'Invitation link or code',
    inputHint: 'For example https://…/join#token=… or the code on its own.',
    submit: 'Continue',
    empty: 'Paste your invitation link or code first.',
    invalid: 'That does not look like an invitation link or code. Copy the whole link from your invitation and try again.',
  },

  staging: {
    loading: 'Loading your invitation…',
    organizedBy: (name: string) => `Organised by ${name}`,
    when: 'When',
    joiningAs: (name: string) => `You are joining as ${name}`,
    started: 'The meeting has already started.',
    devicesHeading: 'Check your camera and microphone',
    cameraOffPreview: 'Your camera is off',
    cameraPreview: 'Your camera preview',
    joinWithout: 'You can still join without them: others will hear and see you only once it works.',
    recorded: 'This meeting is recorded',
    recordedDetail: 'Your voice, video and shared screen are recorded from the moment you join. The organiser keeps the recording for a limited time.',
  },

  devices: {
    camera: 'Camera',
    microphone: 'Microphone',
    speaker: 'Speaker',
    systemDefault: 'System default',
    unnamed: (kind: string, n: number) => `${kind} ${n}`,
    on: 'On',
    off: 'Off',
    turnOn: (device: string) => `Turn ${device.toLowerCase()} on`,
    turnOff: (device: string) => `Turn ${device.toLowerCase()} off`,
    micLevel: 'Microphone level',
    testSpeaker: 'Play a test sound',
    speakerNotSupported: 'This browser always plays sound on the system’s default speaker.',
    problem: {
      camera: {
        denied:
          'Camera access is blocked. Click the camera icon in the address bar (or your browser’s site settings), allow the camera, then reload the page.',
        not_found: 'No camera was found. Connect one, or join without video.',
        in_use: 'Your camera is in use by another application. Close it and try again.',
        unsupported: 'This browser cannot use a camera here. Use an up-to-date Chrome, Edge, Firefox or Safari over https.',
        failed: 'The camera could not be started.',
      } satisfies Record<MediaProblem, string>,
      microphone: {
        denied:
          'Microphone access is blocked. Click the camera/microphone icon in the address bar (or your browser’s site settings), allow the microphone, then reload the page.',
        not_found: 'No microphone was found. Connect one, or join and use the chat.',
        in_use: 'Your microphone is in use by another application. Close it and try again.',
        unsupported:
          'This browser cannot use a microphone here. Use an up-to-date Chrome, Edge, Firefox or Safari over https.',
        failed: 'The microphone could not be started.',
      } satisfies Record<MediaProblem, string>,
    },
  },

  password: {
    heading: 'Enter your meeting password',
    label: 'Meeting password (8 digits)',
    hint: 'The 8-digit password came with your invitation.',
    submit: 'Join meeting',
    checking: 'Checking…',
    wrongFormat: 'The password has exactly 8 digits (numbers only).',
    invalidCredentials: 'That password is not right. Check the 8 digits in your invitation and try again.',
    locked: (n: number) => `Too many attempts. For your security, try again in ${minutes(n)}.`,
    lockedNoTime: 'Too many attempts. For your security, wait a few minutes and try again.',
    network: 'We could not reach doctor-live. Check your internet connection and try again.',
    sessionExpired: 'Your access to the meeting has expired. Enter the password again to rejoin.',
  },

  errors: {
    status: (status: number) => `Error ${status}`,
    home: 'Go to the start page',
    retry: 'Try again',
    kinds: {
      invalid_link: {
        title: 'This invitation link is not valid',
        body: 'Check that you copied the whole link from your e-mail or WhatsApp message. If it still does not work, ask the organiser to send you a new invitation.',
      },
      link_expired: {
        title: 'This invitation link has expired',
        body: 'Invitation links work for a limited time. Ask the organiser to send you a new invitation.',
      },
      room_cancelled: {
        title: 'This meeting was cancelled',
        body: 'The organiser cancelled this meeting. Contact them if you think this is a mistake.',
      },
      room_finished: {
        title: 'This meeting has ended',
        body: 'The meeting is over, so it can no longer be joined. Contact the organiser if you need another one.',
      },
      room_full: {
        title: 'This meeting is full',
        body: 'The meeting has reached its maximum number of participants. Try again in a few minutes or contact the organiser.',
      },
      page_not_found: {
        title: 'Page not found',
        body: 'To join a meeting, open the invitation link you received or paste it on the start page.',
      },
      network: {
        title: 'We could not reach doctor-live',
        body: 'Check your internet connection and try again.',
      },
      unknown: {
        title: 'Something went wrong',
        body: 'Please try again in a moment. If it keeps happening, contact the organiser.',
      },
    } satisfies Record<ErrorKind, { title: string; body: string }>,
  },

  meeting: {
    connecting: 'Connecting to the meeting…',
    state: {
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Connection lost. Reconnecting…',
      disconnected: 'Disconnected',
    },
    controls: 'Meeting controls',
    recording: 'Recording',
    recordingDetail: 'This meeting is being recorded',
    camera: 'Camera',
    microphone: 'Microphone',
    screenShare: 'Share screen',
    chat: 'Chat',
    participants: 'Participants',
    assistant: 'AI assistant',
    leave: 'Leave',
    videoGrid: 'Participants’ video',
    cameraFailed: 'Your camera could not be started; others will not see you.',
    microphoneFailed: 'Your microphone could not be started; others will not hear you.',
    screenShareFailed: 'Screen sharing could not be started.',
    closePanel: 'Close panel',
    dismiss: 'Dismiss',
    connectFailed: 'Could not connect to the meeting server.',
    retry: 'Try again',
    startAudio: 'Click to hear the meeting',
    chooseCamera: 'Choose camera',
    chooseMicrophone: 'Choose microphone',
    newItems: (n: number) => (n === 1 ? '1 new' : `${n} new`),
    captions: 'Captions',
    hideAssistant: 'Hide assistant',
  },

  captions: {
    region: 'Live captions',
    someone: 'Someone',
    waiting: 'Captions will appear here when someone speaks.',
    offlineSpeech: (languages: string | null) =>
      languages ? `Offline transcription, languages: ${languages}.` : 'Offline transcription.',
  },

  participants: {
    heading: (n: number) => `Participants (${n})`,
    you: '(you)',
    aiBadge: 'AI assistant',
    micOff: 'Microphone off',
    micOn: 'Microphone on',
    speaking: 'Speaking',
    quality: {
      excellent: 'Excellent connection',
      good: 'Good connection',
      poor: 'Poor connection',
      lost: 'Connection lost',
      unknown: 'Connection quality unknown',
    },
  },

  chat: {
    heading: 'Chat',
    empty: 'No messages yet. Messages are visible to everyone in the meeting.',
    inputLabel: 'Message to everyone',
    send: 'Send',
    someone: 'Someone',
    sendFailed: 'Your message could not be sent.',
  },

  agent: {
    heading: 'AI assistant',
    empty: 'Suggestions from the AI assistant will appear here during the meeting.',
    absent: 'The AI assistant is not in the meeting right now.',
    present: 'The AI assistant is listening and may suggest information from your organisation’s documents.',
    sources: 'Sources',
    page: (n: number) => `p. ${n}`,
    match: (percent: number) => `${percent}% match`,
    extractive: 'Quoted from the knowledge base (offline mode)',
    kind: { suggestion: 'Suggestion', tip: 'Tip', answer: 'Answer' },
    question: 'Question',
    offlineMode: 'Offline mode: suggestions quote your organisation’s documents, without a language model.',
    offlineSpeech: (model: string | null, languages: string | null) =>
      `Speech is transcribed by an offline model${model ? ` (${model})` : ''}` +
      (languages ? ` that understands: ${languages}.` : '.'),
    ask: {
      heading: 'Ask the assistant',
      label: 'Your question to the assistant',
      hint: 'Enter sends, Shift+Enter starts a new line.',
      remaining: (n: number) => (n === 1 ? '1 character left' : `${n} characters left`),
      submit: 'Ask',
      needsAgent: 'The assistant has to be in the meeting to answer.',
      yourQuestion: 'Your question',
      pending: 'Waiting for the answer…',
      unanswered: (seconds: number) => `No answer after ${seconds} seconds. The assistant may be busy: try asking again.`,
      failed: 'The question could not be sent. Check your connection and try again.',
      dismiss: 'Dismiss',
    },
    disclaimer: 'Suggestions are automated: check them and use your professional judgement.',
  },

  left: {
    left: { title: 'You left the meeting', body: 'Thank you for taking part.' },
    ended: { title: 'The meeting has ended', body: 'The organiser ended the meeting or removed you from it.' },
    duplicate: {
      title: 'You joined from somewhere else',
      body: 'The meeting was opened in another tab or device with the same invitation, so this one was closed.',
    },
    disconnected: {
      title: 'You were disconnected',
      body: 'The connection to the meeting was lost. Check your internet connection and rejoin.',
    },
    rejoin: 'Rejoin the meeting',
    home: 'Go to the start page',
  },
};

export type Messages = typeof en;
