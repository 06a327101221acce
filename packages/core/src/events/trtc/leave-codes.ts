/**
 * Why a TRTC robot (recording 302, slicing 1002, moderation 1102) left the room: `LeaveCode` meanings.
 *
 * @see https://trtc.io/document/73394
 * @see https://trtc.io/document/54914
 */
export const LEAVE_CODES: Readonly<Record<number, string>> = {
  0: 'stopped by API call',
  1: 'robot removed from the room by the customer',
  2: 'room dismissed by the customer',
  3: 'robot removed from the room by the server',
  4: 'room dismissed by the server',
  99: 'no other user stream left in the room for the configured time',
  100: 'room timed out',
  101: 'the same user entered the room again',
};

/** The meaning of a `LeaveCode`, or `unknown leave code N`. */
export function describeLeaveCode(code: number): string {
  return LEAVE_CODES[code] ?? `unknown leave code ${code}`;
}
