import { useMutation } from '@tanstack/react-query';
import { unwrap } from '../api/errors';
import { useApi, useSessionStore } from '../Runtime';

export function useLogin() {
  const api = useApi();
  const store = useSessionStore();
  return useMutation({
    mutationFn: async (body: { email: string; password: string }) => {
      const reply = unwrap(await api.POST('/api/v1/auth/login', { body }));
      store.set({ accessToken: reply.access_token, refreshToken: reply.refresh_token, user: reply.user });
      return reply.user;
    },
  });
}

/** Revokes the refresh token at the API (best effort) and forgets the session here. */
export function useLogout() {
  const api = useApi();
  const store = useSessionStore();
  return async () => {
    const session = store.get();
    store.set(null);
    if (session) {
      try {
        await api.POST('/api/v1/auth/logout', { body: { refresh_token: session.refreshToken } });
      } catch {
        // Already gone, or offline: the local session is over either way.
      }
    }
  };
}

export function useSetPassword() {
  const api = useApi();
  return useMutation({
    mutationFn: async (body: { token: string; new_password: string }) =>
      unwrap(await api.POST('/api/v1/auth/set-password', { body })),
  });
}

/** Changing the password signs out every session, this one too: log in again with the new
 * password so the user carries on. */
export function useChangePassword() {
  const api = useApi();
  const store = useSessionStore();
  return useMutation({
    mutationFn: async (body: { current_password: string; new_password: string }) => {
      unwrap(await api.POST('/api/v1/auth/password', { body }));
      const email = store.get()?.user.email;
      if (!email) return;
      const reply = unwrap(await api.POST('/api/v1/auth/login', { body: { email, password: body.new_password } }));
      store.set({ accessToken: reply.access_token, refreshToken: reply.refresh_token, user: reply.user });
    },
  });
}
