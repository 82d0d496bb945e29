/** Server state: one hook per read (TanStack Query, keyed by what it reads) and per change (a
 * mutation that refreshes the reads it affects). Components never call the API themselves. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { idempotencyHeaders } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import type { components } from '../api/schema';
import type { RoomStatus } from '../api/types';
import { useApi, useSession } from '../Runtime';

type S = components['schemas'];

export const keys = {
  stats: ['stats'] as const,
  entities: (filters: object) => ['entities', filters] as const,
  entity: (id: string) => ['entity', id] as const,
  departments: (entityId: string) => ['departments', entityId] as const,
  professionals: (entityId: string) => ['professionals', entityId] as const,
  users: (entityId: string) => ['users', entityId] as const,
  documents: (entityId: string | undefined) => ['documents', entityId ?? 'own'] as const,
  job: (id: string) => ['job', id] as const,
  search: (entityId: string | undefined, q: string) => ['search', entityId ?? 'own', q] as const,
  rooms: (filters: object) => ['rooms', filters] as const,
  room: (id: string) => ['room', id] as const,
  transcript: (id: string, q: string) => ['room', id, 'transcript', q] as const,
  summary: (id: string) => ['room', id, 'summary'] as const,
  recordings: (id: string) => ['room', id, 'recordings'] as const,
  roomUsage: (id: string) => ['room', id, 'usage'] as const,
  usage: (filters: object) => ['usage', filters] as const,
};

// ---- dashboard and entities ---------------------------------------------------------------

export function useStats() {
  const api = useApi();
  return useQuery({ queryKey: keys.stats, queryFn: async () => unwrap(await api.GET('/api/v1/stats')) });
}

export interface EntityFilters { q?: string; type?: string; active?: boolean; page?: number; limit?: number }

export function useEntities(filters: EntityFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.entities(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/entities', { params: { query: { limit: 20, ...filters } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Every entity (up to 100), for pickers; only a MANAGER may list them. */
export function useAllEntities() {
  const session = useSession();
  return useEntities({ limit: 100 }, session?.user.role === 'MANAGER');
}

export function useEntity(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.entity(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/entities/{entity_id}', { params: { path: { entity_id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useCreateEntity() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: S['EntityCreate']) => unwrap(await api.POST('/api/v1/entities', { body, headers: idempotencyHeaders() })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['entities'] }),
  });
}

export function useUpdateEntity(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: S['EntityUpdate']) =>
      unwrap(await api.PUT('/api/v1/entities/{entity_id}', { params: { path: { entity_id: id } }, body })),
    onSuccess: (entity) => {
      qc.setQueryData(keys.entity(id), entity);
      void qc.invalidateQueries({ queryKey: ['entities'] });
      void qc.invalidateQueries({ queryKey: keys.stats });
    },
  });
}

// ---- departments, professionals, users ------------------------------------------------------

export function useDepartments(entityId: string | undefined, includeInactive = false) {
  const api = useApi();
  return useQuery({
    queryKey: [...keys.departments(entityId ?? ''), includeInactive],
    queryFn: async () => unwrap(await api.GET('/api/v1/entities/{entity_id}/departments', {
      params: { path: { entity_id: entityId! }, query: { include_inactive: includeInactive } },
    })),
    enabled: Boolean(entityId),
  });
}

export function useCreateDepartment(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: S['DepartmentCreate']) => unwrap(await api.POST('/api/v1/entities/{entity_id}/departments', {
      params: { path: { entity_id: entityId } }, body, headers: idempotencyHeaders(),
    })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.departments(entityId) }),
  });
}

export function useUpdateDepartment(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: S['DepartmentUpdate'] }) =>
      unwrap(await api.PUT('/api/v1/departments/{department_id}', { params: { path: { department_id: id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.departments(entityId) }),
  });
}

export function useProfessionals(entityId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.professionals(entityId ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/entities/{entity_id}/professionals', { params: { path: { entity_id: entityId! } } })),
    enabled: Boolean(entityId),
  });
}

export function useCreateProfessional(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: S['ProfessionalCreate']) => unwrap(await api.POST('/api/v1/entities/{entity_id}/professionals', {
      params: { path: { entity_id: entityId } }, body, headers: idempotencyHeaders(),
    })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.professionals(entityId) }),
  });
}

export function useUpdateProfessional(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: S['ProfessionalUpdate'] }) =>
      unwrap(await api.PUT('/api/v1/professionals/{professional_id}', { params: { path: { professional_id: id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.professionals(entityId) }),
  });
}

export function useLinkProfessional() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, otherEntityId }: { id: string; otherEntityId: string }) =>
      unwrap(await api.POST('/api/v1/professionals/{professional_id}/entities', {
        params: { path: { professional_id: id } }, body: { entity_id: otherEntityId }, headers: idempotencyHeaders(),
      })),
    // The professional now shows in the other entity's list too.
    onSuccess: () => qc.invalidateQueries({ queryKey: ['professionals'] }),
  });
}

/** Take a professional who works here through a link (their home is another entity) off this
 * entity's list. */
export function useUnlinkProfessional(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/professionals/{professional_id}/entities/{entity_id}', {
      params: { path: { professional_id: id, entity_id: entityId } },
    })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['professionals'] }),
  });
}

export function useUsers(entityId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.users(entityId ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/entities/{entity_id}/users', { params: { path: { entity_id: entityId! } } })),
    enabled: Boolean(entityId),
  });
}

export function useInviteUser(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: S['UserCreate']) => unwrap(await api.POST('/api/v1/entities/{entity_id}/users', {
      params: { path: { entity_id: entityId } }, body, headers: idempotencyHeaders(),
    })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users(entityId) }),
  });
}

export function useUpdateUser(entityId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: S['UserUpdate'] }) =>
      unwrap(await api.PUT('/api/v1/users/{user_id}', { params: { path: { user_id: id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users(entityId) }),
  });
}

// ---- knowledge base -------------------------------------------------------------------------

export function useDocuments(entityId: string | undefined, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.documents(entityId),
    queryFn: async () => unwrap(await api.GET('/api/v1/knowledge-base/documents', {
      params: { query: { limit: 100, ...(entityId ? { entity_id: entityId } : {}) } },
    })),
    enabled,
  });
}

export function useDeleteDocument(entityId: string | undefined) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/knowledge-base/documents/{document_id}', { params: { path: { document_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.documents(entityId) }),
  });
}

const FINAL_JOB = ['completed', 'failed'];

/** An ingestion job, polled every second until it is completed or failed. */
export function useJob(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.job(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/knowledge-base/jobs/{job_id}', { params: { path: { job_id: id! } } })),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data && FINAL_JOB.includes(query.state.data.status) ? false : 1000),
  });
}

export function useSearch(entityId: string | undefined, q: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.search(entityId, q),
    queryFn: async () => unwrap(await api.GET('/api/v1/knowledge-base', {
      params: { query: { q, limit: 8, ...(entityId ? { entity_id: entityId } : {}) } },
    })),
    enabled: q.trim().length >= 2,
    staleTime: 60_000,
  });
}

// ---- meetings -------------------------------------------------------------------------------

export interface RoomFilters { status?: RoomStatus; from?: string; to?: string; entity_id?: string; page?: number; limit?: number }

export function useRooms(filters: RoomFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.rooms(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/rooms', { params: { query: { limit: 20, ...filters } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The next `count` scheduled meetings, soonest first (`order=asc`). */
export function useUpcomingRooms(count: number, now: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['rooms', 'upcoming', count, now],
    queryFn: async () => unwrap(await api.GET('/api/v1/rooms', {
      params: { query: { status: 'SCHEDULED', from: now, limit: count, order: 'asc' } },
    })),
  });
}

/** A meeting with its participants; polled while invitations may still be on their way. */
export function useRoom(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.room(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/rooms/{room_id}', { params: { path: { room_id: id! } } })),
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const room = query.state.data;
      if (!room || room.status === 'CANCELLED' || room.status === 'COMPLETED') return false;
      const waiting = room.participants.some((p) =>
        (p.email && (!p.email_status || p.email_status === 'queued')) || (p.phone && (!p.whatsapp_status || p.whatsapp_status === 'queued')));
      return waiting ? 2000 : 15000;
    },
  });
}

export function useCreateRoom() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: S['RoomCreate']; key: string }) =>
      unwrap(await api.POST('/api/v1/rooms', { body, headers: idempotencyHeaders(key) })),
    onSuccess: (room) => {
      qc.setQueryData(keys.room(room.id), room);
      void qc.invalidateQueries({ queryKey: ['rooms'] });
    },
  });
}

export function useCancelRoom(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/rooms/{room_id}', { params: { path: { room_id: id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.room(id) });
      void qc.invalidateQueries({ queryKey: ['rooms'] });
    },
  });
}

export function useAddParticipants(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ participants, key }: { participants: S['ParticipantIn'][]; key: string }) =>
      unwrap(await api.POST('/api/v1/rooms/{room_id}/participants', {
        params: { path: { room_id: id } }, body: { participants }, headers: idempotencyHeaders(key),
      })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.room(id) }),
  });
}

export function useResend(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (participantId: string) =>
      unwrap(await api.POST('/api/v1/rooms/{room_id}/participants/{participant_id}/resend', {
        params: { path: { room_id: id, participant_id: participantId } }, headers: idempotencyHeaders(),
      })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.room(id) }),
  });
}

// ---- after the meeting: transcript, notes, recordings, AI usage -------------------------------

export const TRANSCRIPT_PAGE = 100;

/** The transcript in time order, `TRANSCRIPT_PAGE` segments at a time ("load more" fetches the
 * next page); `q` filters by text on the API (every read is audited there). */
export function useTranscript(roomId: string, q: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.transcript(roomId, q),
    // Each page says which search it answers: while the next search loads, the previous
    // answer stays on screen with its own words marked, not the new ones.
    queryFn: async ({ pageParam }) => ({
      q,
      ...unwrap(await api.GET('/api/v1/rooms/{room_id}/transcript', {
        params: { path: { room_id: roomId }, query: { page: pageParam, limit: TRANSCRIPT_PAGE, ...(q ? { q } : {}) } },
      })),
    }),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.limit < last.total ? last.page + 1 : undefined),
    placeholderData: keepPreviousData,
  });
}

/** The assistant's notes; `null` while there are none yet (the API's 404 summary_not_found). */
export function useSummary(roomId: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.summary(roomId),
    queryFn: async () => {
      try {
        return unwrap(await api.GET('/api/v1/rooms/{room_id}/summary', { params: { path: { room_id: roomId } } }));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'summary_not_found') return null;
        throw error;
      }
    },
  });
}

/** The recordings with their presigned download URLs (valid 5 minutes). Each URL issued is
 * audited as a download, so they are fetched once, and again only when asked (`refetch`). */
export function useRecordings(roomId: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.recordings(roomId),
    queryFn: async () => unwrap(await api.GET('/api/v1/rooms/{room_id}/recordings', { params: { path: { room_id: roomId } } })),
    staleTime: Infinity,
  });
}

export function useRoomUsage(roomId: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.roomUsage(roomId),
    queryFn: async () => unwrap(await api.GET('/api/v1/rooms/{room_id}/agent-usage', { params: { path: { room_id: roomId } } })),
  });
}

export interface UsageFilters { entity_id?: string; from_date?: string; to_date?: string; page?: number; limit?: number }

/** AI usage per meeting (one page) with the API's totals per entity, per month and overall. */
export function useUsageReport(filters: UsageFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.usage(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/agent-usage', { params: { query: { limit: 20, ...filters } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
