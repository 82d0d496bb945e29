import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { installMediaDevices, removeMediaDevices } from '../test/fakeMedia';
import { renderApp, TOKEN } from '../test/render';
import { loadJoinSession } from '../joinSession';
import {
  DEFAULT_DEVICE_PREFERENCES,
  DEVICE_PREFERENCES_KEY,
  loadDevicePreferences,
  saveDevicePreferences,
} from './devicePreferences';
import { classifyMediaError } from './mediaProblems';
import { selectedDeviceId } from './selection';

const joinUrl = `/join#token=${TOKEN}`;

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  removeMediaDevices();
});

describe('device preferences', () => {
  it('are saved to and restored from localStorage', () => {
    const chosen = { videoInputId: 'cam-2', audioInputId: 'mic-2', audioOutputId: 'spk-1', cameraEnabled: false, microphoneEnabled: true };
    saveDevicePreferences(chosen, localStorage);
    expect(JSON.parse(localStorage.getItem(DEVICE_PREFERENCES_KEY)!)).toEqual(chosen);
    expect(loadDevicePreferences(localStorage)).toEqual(chosen);
  });

  it('fall back to defaults when nothing or garbage is stored', () => {
    expect(loadDevicePreferences(localStorage)).toEqual(DEFAULT_DEVICE_PREFERENCES);
    localStorage.setItem(DEVICE_PREFERENCES_KEY, '{not json');
    expect(loadDevicePreferences(localStorage)).toEqual(DEFAULT_DEVICE_PREFERENCES);
    localStorage.setItem(DEVICE_PREFERENCES_KEY, JSON.stringify({ videoInputId: 42, cameraEnabled: 'yes' }));
    expect(loadDevicePreferences(localStorage)).toEqual(DEFAULT_DEVICE_PREFERENCES);
  });

  it('pick the remembered device while it is plugged in, else the one in use', () => {
    const list = [{ deviceId: 'a' }, { deviceId: 'b' }];
    expect(selectedDeviceId(list, 'b', 'a')).toBe('b');
    expect(selectedDeviceId(list, 'gone', 'a')).toBe('a');
    expect(selectedDeviceId(list, null, null)).toBe('a');
    expect(selectedDeviceId([], 'b')).toBe('');
  });

  it('map getUserMedia errors to guidance', () => {
    expect(classifyMediaError(new DOMException('', 'NotAllowedError'))).toBe('denied');
    expect(classifyMediaError(new DOMException('', 'NotFoundError'))).toBe('not_found');
    expect(classifyMediaError(new DOMException('', 'NotReadableError'))).toBe('in_use');
    expect(classifyMediaError(new Error('?'))).toBe('failed');
  });
});

describe('staging area devices', () => {
  it('remembers the chosen microphone and camera for the next visit', async () => {
    const media = installMediaDevices();
    const first = renderApp(joinUrl);
    const microphone = await screen.findByLabelText('Microphone', { selector: 'select' });
    await waitFor(() => expect(within(microphone).getAllByRole('option')).toHaveLength(2));

    await userEvent.selectOptions(microphone, 'mic-2');
    await userEvent.selectOptions(screen.getByLabelText('Camera', { selector: 'select' }), 'cam-2');

    expect(loadDevicePreferences()).toMatchObject({ audioInputId: 'mic-2', videoInputId: 'cam-2' });
    await waitFor(() =>
      expect(media.getUserMedia).toHaveBeenLastCalledWith({ video: expect.objectContaining({ deviceId: { exact: 'cam-2' } }) }),
    );
    first.unmount();

    renderApp(joinUrl);
    const again = await screen.findByLabelText('Microphone', { selector: 'select' });
    await waitFor(() => expect(again).toHaveValue('mic-2'));
    expect(screen.getByLabelText('Camera', { selector: 'select' })).toHaveValue('cam-2');
  });

  it('remembers camera and microphone switched off, and joins without them', async () => {
    const media = installMediaDevices();
    renderApp(joinUrl);
    const camera = await screen.findByRole('button', { name: 'Turn camera off' });
    expect(camera).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(camera);
    expect(screen.getByRole('button', { name: 'Turn camera on' })).toHaveAttribute('aria-pressed', 'false');
    expect(loadDevicePreferences().cameraEnabled).toBe(false);
    expect(screen.getByText('Your camera is off')).toBeInTheDocument();

    await userEvent.type(screen.getByTestId('password-input'), '12345678{Enter}');
    await waitFor(() => expect(loadJoinSession(TOKEN)).toMatchObject({ camera: false, microphone: true }));
    expect(media.getUserMedia).toHaveBeenCalled();
  });

  it('explains a blocked camera and still lets the participant join', async () => {
    installMediaDevices({ fail: { video: 'NotAllowedError' } });
    renderApp(joinUrl);
    expect(await screen.findByText(/Camera access is blocked/)).toBeInTheDocument();
    expect(screen.getByText(/You can still join without them/)).toBeInTheDocument();

    await userEvent.type(screen.getByTestId('password-input'), '12345678{Enter}');
    await waitFor(() => expect(loadJoinSession(TOKEN)).toMatchObject({ camera: false, microphone: true }));
  });

  it('explains a machine without camera or microphone', async () => {
    installMediaDevices({ devices: [] });
    renderApp(joinUrl);
    expect(await screen.findByText(/No camera was found/)).toBeInTheDocument();
    expect(screen.getByText(/No microphone was found/)).toBeInTheDocument();
    expect(screen.getByTestId('join-button')).toBeEnabled();
  });

  it('falls back to the default device when the remembered one was unplugged', async () => {
    saveDevicePreferences({ ...DEFAULT_DEVICE_PREFERENCES, videoInputId: 'cam-gone' });
    const media = installMediaDevices();
    media.getUserMedia.mockImplementationOnce(async () => {
      throw new DOMException('gone', 'OverconstrainedError');
    });
    renderApp(joinUrl);
    await waitFor(() => expect(screen.getByTestId('camera-preview')).toBeInTheDocument());
    expect(screen.queryByText(/No camera was found/)).not.toBeInTheDocument();
  });
});
