/** The TRTC event groups beyond cloud moderation: room, media, recording, relay, ingest, slicing, AI, ... */
export const trtcCatalogEvents = [] as const;
