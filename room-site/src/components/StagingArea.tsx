import type { ReactNode } from 'react';
import type { MagicLinkPreview } from '../api';
import { speakerSelectionSupported } from '../devices/mediaProblems';
import { selectedDeviceId } from '../devices/selection';
import type { StagingDevices } from '../devices/useStagingDevices';
import { useMessages } from '../i18n/I18nProvider';
import { CameraPreview } from './CameraPreview';
import { RecordingDot } from './icons';
import { DeviceGuidance } from './DeviceGuidance';
import { DevicePicker } from './DevicePicker';
import { MediaToggle } from './MediaToggle';
import { MeetingDetails } from './MeetingDetails';
import { MicLevelMeter } from './MicLevelMeter';
import { SpeakerTestButton } from './SpeakerTestButton';

/**
 * The waiting room before the meeting: what the meeting is, a look at one's own camera and
 * microphone, device choices, and (as `children`) the password prompt.
 */
export function StagingArea({
  preview,
  devices: staging,
  children,
}: {
  preview: MagicLinkPreview;
  devices: StagingDevices;
  children: ReactNode;
}) {
  const m = useMessages();
  const { preferences, updatePreferences, devices, camera, microphone } = staging;
  const speakerId = selectedDeviceId(devices.audioOutputs, preferences.audioOutputId);

  return (
    <div data-testid="staging-area" className="grid gap-6 lg:grid-cols-[3fr_2fr]">
      <section aria-labelledby="devices-heading" className="card space-y-4">
        <h2 id="devices-heading" className="text-lg font-semibold">
          {m.staging.devicesHeading}
        </h2>
        <CameraPreview stream={camera.stream} />
        <div className="flex flex-wrap items-center gap-3">
          <MediaToggle
            device={m.devices.camera}
            enabled={preferences.cameraEnabled}
            onToggle={(cameraEnabled) => updatePreferences({ cameraEnabled })}
            testId="camera-toggle"
          />
          <MediaToggle
            device={m.devices.microphone}
            enabled={preferences.microphoneEnabled}
            onToggle={(microphoneEnabled) => updatePreferences({ microphoneEnabled })}
            testId="microphone-toggle"
          />
          <MicLevelMeter stream={microphone.stream} />
        </div>
        <DeviceGuidance camera={camera.problem} microphone={microphone.problem} />
        <div className="grid gap-3 sm:grid-cols-2">
          <DevicePicker
            label={m.devices.camera}
            testId="camera-select"
            devices={devices.videoInputs}
            value={selectedDeviceId(devices.videoInputs, preferences.videoInputId, camera.deviceId)}
            onChange={(videoInputId) => updatePreferences({ videoInputId })}
          />
          <DevicePicker
            label={m.devices.microphone}
            testId="microphone-select"
            devices={devices.audioInputs}
            value={selectedDeviceId(devices.audioInputs, preferences.audioInputId, microphone.deviceId)}
            onChange={(audioInputId) => updatePreferences({ audioInputId })}
          />
          {speakerSelectionSupported() ? (
            <div className="space-y-2">
              <DevicePicker
                label={m.devices.speaker}
                testId="speaker-select"
                devices={devices.audioOutputs}
                value={speakerId}
                onChange={(audioOutputId) => updatePreferences({ audioOutputId })}
              />
              <SpeakerTestButton speakerId={speakerId || null} />
            </div>
          ) : (
            <p className="text-sm text-slate-600 sm:col-span-2">{m.devices.speakerNotSupported}</p>
          )}
        </div>
      </section>
      <section className="card space-y-6">
        <MeetingDetails preview={preview} />
        {preview.room.recorded ? <RecordingNotice /> : null}
        {children}
      </section>
    </div>
  );
}

/** Said before anyone joins a recorded meeting, next to the password they enter to join. */
function RecordingNotice() {
  const m = useMessages();
  return (
    <div role="note" data-testid="recording-notice" className="flex gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
      <RecordingDot />
      <div>
        <p className="font-semibold">{m.staging.recorded}</p>
        <p>{m.staging.recordedDetail}</p>
      </div>
    </div>
  );
}
