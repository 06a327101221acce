import { trtcAiEvents } from './ai.js';
import { trtcConversationEvents } from './conversation.js';
import { trtcIngestEvents } from './ingest.js';
import { trtcMediaEvents } from './media.js';
import { trtcRecordingEvents } from './recording.js';
import { trtcRelayEvents } from './relay.js';
import { trtcRoomEvents } from './room.js';
import { trtcSlicingEvents } from './slicing.js';
import { trtcTranscriptionEvents } from './transcription.js';
import { trtcWebRecordingEvents } from './web-recording.js';

/** The TRTC event groups beyond cloud moderation: room, media, recording, relay, ingest, slicing, AI, ... */
export const trtcCatalogEvents = [
  ...trtcRoomEvents,
  ...trtcMediaEvents,
  ...trtcRecordingEvents,
  ...trtcRelayEvents,
  ...trtcIngestEvents,
  ...trtcWebRecordingEvents,
  ...trtcAiEvents,
  ...trtcSlicingEvents,
  ...trtcTranscriptionEvents,
  ...trtcConversationEvents,
] as const;
