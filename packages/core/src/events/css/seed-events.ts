import { cssModerationImage } from './image-moderation.js';
import { cssMonitorEvents } from './monitor.js';
import { cssScreenshot } from './screenshot.js';
import { cssSmartErase } from './smart-erase.js';

/** The CSS events of the seed pages: monitoring (328), image moderation (317), smart erasing (347), screenshot (200). */
export const cssSeedEvents = [...cssMonitorEvents, cssModerationImage, cssSmartErase, cssScreenshot] as const;
