import type { components } from './schema';

type S = components['schemas'];
export type Role = S['Role'];
export type UserOut = S['UserOut'];
export type LoginResponse = S['LoginResponse'];
export type TokenPair = S['TokenPair'];
export type Entity = S['Entity'];
export type EntityCreate = S['EntityCreate'];
export type EntityUpdate = S['EntityUpdate'];
export type Department = S['Department'];
export type Professional = S['Professional'];
export type User = S['User'];
export type UserCreated = S['UserCreated'];
export type Stats = S['Stats'];
export type Document = S['Document'];
export type Job = S['Job'];
export type UploadAccepted = S['UploadAccepted'];
export type SearchResult = S['SearchResult'];
export type SearchHit = S['SearchHit'];
export type Room = S['Room'];
export type RoomDetail = S['RoomDetail'];
export type RoomCreate = S['RoomCreate'];
export type RoomParticipant = S['RoomParticipant'];
export type ParticipantIn = S['ParticipantIn'];
export type RoomStatus = Room['status'];

/** Whether a generated schema has a property: lets the UI show fields other teams add to the
 * API (e.g. `assistant_enabled`) as soon as `npm run gen:api` has picked them up. */
export type HasKey<T, K extends string> = K extends keyof T ? true : false;

import { SCHEMA_FIELDS } from './schemaFields';

/** Whether the API's schema (as last generated) has this field. */
export function hasField(schema: string, field: string): boolean {
  return SCHEMA_FIELDS[schema]?.includes(field) ?? false;
}

export type TranscriptSegment = S['TranscriptSegment'];
export type TranscriptPage = S['Page_TranscriptSegment_'];
export type MeetingSummary = S['MeetingSummary'];
export type Recording = S['Recording'];
export type RoomUsage = S['RoomUsage'];
export type UsageRow = S['UsageRow'];
export type UsageFigures = S['UsageFigures'];
export type UsageReport = S['UsageReport'];
export type MeetingUsage = S['MeetingUsage'];
export type MonthUsage = S['MonthUsage'];
export type EntityUsage = S['EntityUsage'];
