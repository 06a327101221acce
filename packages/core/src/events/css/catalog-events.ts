/** The CSS events beyond the seed pages: push, disconnect, recording, relay, audio moderation, ... */
export const cssCatalogEvents = [] as const;
