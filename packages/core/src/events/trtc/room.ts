import { numberish } from '../fields.js';
import { defineTrtcEvent, TRTC_DEDUPE_KEY } from './trtc-event.js';

const DOC = 'https://trtc.io/document/39558';

/** `Role` of a user entering, leaving or switching role (https://trtc.io/document/39558). */
export const TRTC_ROLES: Readonly<Record<number, string>> = {
  20: 'anchor',
  21: 'audience',
};

/** `TerminalType` of a user entering a room (https://trtc.io/document/39558). */
export const TRTC_TERMINAL_TYPES: Readonly<Record<number, string>> = {
  1: 'Windows',
  2: 'Android',
  3: 'iOS',
  4: 'Linux',
  100: 'other',
};

/** `UserType` of a user entering a room: which SDK it entered with (https://trtc.io/document/39558). */
export const TRTC_USER_TYPES: Readonly<Record<number, string>> = {
  1: 'WebRTC',
  2: 'mini program',
  3: 'native SDK',
};

/** `Reason` of a room entry (103) (https://trtc.io/document/39558). */
export const TRTC_ENTER_REASONS: Readonly<Record<number, string>> = {
  1: 'normal entry',
  2: 'network change',
  3: 'timeout retry',
  4: 'cross-room co-anchoring',
};

/**
 * `Reason` of a room exit (104). An older version of the page listed six different reasons, so the
 * codes are an open enum (https://trtc.io/document/39558).
 */
export const TRTC_EXIT_REASONS: Readonly<Record<number, string>> = {
  1: 'normal exit',
  2: 'timed out',
  3: 'removed from the room',
  4: 'cross-room co-anchoring cancelled',
  5: 'process force-closed',
};

/**
 * The meaning of a TRTC `Role`: `anchor` (20), `audience` (21), or `unknown role N`.
 *
 * @example
 * ```ts
 * describeTrtcRole(21); // 'audience'
 * ```
 * @see https://trtc.io/document/39558
 */
export function describeTrtcRole(role: number): string {
  return TRTC_ROLES[role] ?? `unknown role ${role}`;
}

/**
 * The platform named by a `TerminalType`: `Windows`, `Android`, `iOS`, `Linux`, `other`, or `unknown terminal N`.
 *
 * @example
 * ```ts
 * describeTerminalType(2); // 'Android'
 * ```
 * @see https://trtc.io/document/39558
 */
export function describeTerminalType(terminalType: number): string {
  return TRTC_TERMINAL_TYPES[terminalType] ?? `unknown terminal ${terminalType}`;
}

/**
 * The SDK named by a `UserType`: `WebRTC`, `mini program`, `native SDK`, or `unknown user type N`.
 *
 * @example
 * ```ts
 * describeUserType(3); // 'native SDK'
 * ```
 * @see https://trtc.io/document/39558
 */
export function describeUserType(userType: number): string {
  return TRTC_USER_TYPES[userType] ?? `unknown user type ${userType}`;
}

/**
 * Why a user entered a room (`Reason` of event 103), or `unknown reason N`.
 *
 * @example
 * ```ts
 * describeEnterReason(2); // 'network change'
 * ```
 * @see https://trtc.io/document/39558
 */
export function describeEnterReason(reason: number): string {
  return TRTC_ENTER_REASONS[reason] ?? `unknown reason ${reason}`;
}

/**
 * Why a user left a room (`Reason` of event 104), or `unknown reason N`.
 *
 * @example
 * ```ts
 * describeExitReason(3); // 'removed from the room'
 * ```
 * @see https://trtc.io/document/39558
 */
export function describeExitReason(reason: number): string {
  return TRTC_EXIT_REASONS[reason] ?? `unknown reason ${reason}`;
}

/**
 * Older room callbacks carry only `EventTs` (seconds) and a `UniqueId` per entry or exit, no `EventMsTs`
 * (https://cloud.tencent.com/document/product/647/51586): both join the key so two entries of one user stay
 * two events.
 */
const ROOM_DEDUPE_KEY = [...TRTC_DEDUPE_KEY, 'EventInfo.EventTs', 'EventInfo.UniqueId'] as const;

function described<T>(value: number | undefined, describe: (value: number) => T): T | undefined {
  return value === undefined ? undefined : describe(value);
}

/**
 * TRTC 101: the first user entered and so created a room.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcRoomCreated = defineTrtcEvent({
  type: 'trtc.room.created',
  group: 1,
  eventType: 101,
  title: 'Room created (EVENT_TYPE_CREATE_ROOM)',
  doc: DOC,
  dedupeKey: ROOM_DEDUPE_KEY,
  info: {},
  data: () => ({}),
  summary: (data) => `room ${data.RoomId ?? '?'} created${data.UserId ? ` by user ${data.UserId}` : ''}`,
});

/**
 * TRTC 102: the last user left and the room was dismissed. The doc's sample sends `RoomId` as a string
 * although 101 of the same room sends a number; both read as a string.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcRoomDismissed = defineTrtcEvent({
  type: 'trtc.room.dismissed',
  group: 1,
  eventType: 102,
  title: 'Room dismissed (EVENT_TYPE_DISMISS_ROOM)',
  doc: DOC,
  dedupeKey: ROOM_DEDUPE_KEY,
  info: {},
  data: () => ({}),
  summary: (data) => `room ${data.RoomId ?? '?'} dismissed`,
});

/**
 * TRTC 103: a user entered a room, with its role, platform, SDK and why it entered. `UniqueId`, present
 * only for apps created before 2021-07-30, identifies one entry across client-side duplicates.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcRoomEntered = defineTrtcEvent({
  type: 'trtc.room.entered',
  group: 1,
  eventType: 103,
  title: 'User entered the room (EVENT_TYPE_ENTER_ROOM)',
  doc: DOC,
  dedupeKey: ROOM_DEDUPE_KEY,
  info: {
    Role: numberish.optional(),
    TerminalType: numberish.optional(),
    UserType: numberish.optional(),
    Reason: numberish.optional(),
    UniqueId: numberish.optional(),
  },
  data: (info) => ({
    Role: info.Role,
    role: described(info.Role, describeTrtcRole),
    TerminalType: info.TerminalType,
    terminalType: described(info.TerminalType, describeTerminalType),
    UserType: info.UserType,
    userType: described(info.UserType, describeUserType),
    Reason: info.Reason,
    reason: described(info.Reason, describeEnterReason),
    UniqueId: info.UniqueId,
  }),
  summary: (data) => {
    const client = [data.terminalType, data.userType].filter((part) => part !== undefined).join(', ');
    const unusual = data.Reason !== undefined && data.Reason !== 1 ? `: ${data.reason}` : '';
    return `user ${data.UserId ?? '?'} entered room ${data.RoomId ?? '?'}${data.role ? ` as ${data.role}` : ''}${client ? ` (${client})` : ''}${unusual}`;
  },
});

/**
 * TRTC 104: a user left a room, with its role and why: a normal exit, a timeout, a removal, ... An exit
 * implies the user's audio and video stopped; 202/204 are not sent for it.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcRoomExited = defineTrtcEvent({
  type: 'trtc.room.exited',
  group: 1,
  eventType: 104,
  title: 'User exited the room (EVENT_TYPE_EXIT_ROOM)',
  doc: DOC,
  dedupeKey: ROOM_DEDUPE_KEY,
  info: {
    Role: numberish.optional(),
    Reason: numberish.optional(),
    UniqueId: numberish.optional(),
  },
  data: (info) => ({
    Role: info.Role,
    role: described(info.Role, describeTrtcRole),
    Reason: info.Reason,
    reason: described(info.Reason, describeExitReason),
    UniqueId: info.UniqueId,
  }),
  summary: (data) =>
    `user ${data.UserId ?? '?'} exited room ${data.RoomId ?? '?'}${data.role ? ` as ${data.role}` : ''}${data.reason ? `: ${data.reason}` : ''}`,
});

/**
 * TRTC 105: a user switched role; `Role` is the new one (20 anchor, 21 audience).
 *
 * @see https://trtc.io/document/39558
 */
export const trtcRoomRoleChanged = defineTrtcEvent({
  type: 'trtc.room.role_changed',
  group: 1,
  eventType: 105,
  title: 'User changed role (EVENT_TYPE_CHANGE_ROLE)',
  doc: DOC,
  dedupeKey: ROOM_DEDUPE_KEY,
  info: { Role: numberish.optional() },
  data: (info) => ({ Role: info.Role, role: described(info.Role, describeTrtcRole) }),
  summary: (data) =>
    `user ${data.UserId ?? '?'} in room ${data.RoomId ?? '?'} switched role${data.role ? ` to ${data.role}` : ''}`,
});

/** TRTC group 1: room events. */
export const trtcRoomEvents = [
  trtcRoomCreated,
  trtcRoomDismissed,
  trtcRoomEntered,
  trtcRoomExited,
  trtcRoomRoleChanged,
] as const;
