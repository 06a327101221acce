import { cssModerationAudio } from './audio-moderation.js';
import { cssEvaluationAverage, cssEvaluationThreshold } from './evaluation.js';
import { cssHighlights } from './highlights.js';
import { cssPushException } from './push-exception.js';
import { cssQualityControl } from './quality.js';
import { cssRecordException } from './record-exception.js';
import { cssRecordFile, cssRecordStatus } from './record.js';
import { cssRelay } from './relay.js';
import { cssStreamDisconnect, cssStreamPush } from './stream.js';
import { cssSubtitles } from './subtitles.js';
import { cssSummary } from './summary.js';

/**
 * The CSS events beyond the seed pages: push, disconnect, recording, relay, audio moderation, push
 * exceptions, subtitles, quality control, evaluation, summaries and highlights.
 */
export const cssCatalogEvents = [
  cssStreamPush,
  cssStreamDisconnect,
  cssRecordFile,
  cssRecordStatus,
  cssRecordException,
  cssRelay,
  cssModerationAudio,
  cssPushException,
  cssSubtitles,
  cssQualityControl,
  cssEvaluationThreshold,
  cssEvaluationAverage,
  cssSummary,
  cssHighlights,
] as const;
