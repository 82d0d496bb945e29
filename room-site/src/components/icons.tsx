import type { SVGProps } from 'react';

/**
 * Small stroke icons; always decorative (the button or element around them carries the name).
 * They never receive clicks, so click targets are the buttons themselves (LiveKit's
 * MediaDeviceMenu closes on any click whose target is not its button).
 */
function Icon({ children, ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      pointerEvents="none"
      {...props}
    >
      {children}
    </svg>
  );
}

const Slash = () => <path d="M3 3l18 18" />;

export const MicIcon = ({ off = false }: { off?: boolean }) => (
  <Icon>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
    {off ? <Slash /> : null}
  </Icon>
);

export const CameraIcon = ({ off = false }: { off?: boolean }) => (
  <Icon>
    <rect x="3" y="6" width="13" height="12" rx="2" />
    <path d="M16 10l5-3v10l-5-3" />
    {off ? <Slash /> : null}
  </Icon>
);

export const ScreenIcon = () => (
  <Icon>
    <rect x="3" y="4" width="18" height="12" rx="2" />
    <path d="M8 20h8M12 16v4" />
  </Icon>
);

export const ChatIcon = () => (
  <Icon>
    <path d="M4 5h16v11H8l-4 4z" />
  </Icon>
);

export const PeopleIcon = () => (
  <Icon>
    <circle cx="9" cy="8" r="3" />
    <path d="M3 20a6 6 0 0 1 12 0M16 4a3 3 0 0 1 0 6M21 20a6 6 0 0 0-4-5.6" />
  </Icon>
);

export const AssistantIcon = () => (
  <Icon>
    <path d="M12 3l1.8 4.7L18 9.5l-4.2 1.8L12 16l-1.8-4.7L6 9.5l4.2-1.8zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z" />
  </Icon>
);

export const CaptionsIcon = () => (
  <Icon>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="M10.5 10.2a2.5 2.5 0 1 0 0 3.6M17.5 10.2a2.5 2.5 0 1 0 0 3.6" />
  </Icon>
);

export const AssistantHiddenIcon = () => (
  <Icon>
    <path d="M12 3l1.8 4.7L18 9.5l-4.2 1.8L12 16l-1.8-4.7L6 9.5l4.2-1.8z" />
    <Slash />
  </Icon>
);

export const LeaveIcon = () => (
  <Icon>
    <path d="M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10" />
  </Icon>
);

export const ChevronUpIcon = () => (
  <Icon width="16" height="16">
    <path d="M6 15l6-6 6 6" />
  </Icon>
);

/** The red dot of "recording". */
export const RecordingDot = () => (
  <span aria-hidden="true" className="mt-1 inline-block h-3 w-3 shrink-0 rounded-full bg-red-600" />
);
