/** The browser's localStorage, or null where it is disabled (privacy mode, sandboxed iframe). */
export function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
