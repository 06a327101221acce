import { cssScreenshot } from './screenshot.js';

/** The CSS events of the seed pages: monitoring (328), image moderation (317), smart erasing (347), screenshot (200). */
export const cssSeedEvents = [cssScreenshot] as const;
