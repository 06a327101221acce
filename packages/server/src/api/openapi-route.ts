import { DEFAULT_LIMIT, MAX_LIMIT } from './query-params.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const ms: Schema = { type: 'integer', description: 'milliseconds since the epoch' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const counts: Schema = { type: 'object', additionalProperties: int };

function object(properties: Record<string, Schema>, required: string[], open = false): Schema {
  return { type: 'object', properties, required, additionalProperties: open };
}

/** A closed schema over open `<name>Fields`, so details can extend the fields (JSON Schema 2020-12). */
function closed(name: string, extra?: { properties: Record<string, Schema>; required: string[] }): Schema {
  return { type: 'object', allOf: [ref(`${name}Fields`)], ...extra, unevaluatedProperties: false };
}

function pageOf(item: string): Schema {
  return object({ items: { type: 'array', items: ref(item) }, nextCursor: nullable(str) }, [
    'items',
    'nextCursor',
  ]);
}

function query(name: string, description: string, schema: Schema = str): Schema {
  return { name, in: 'query', required: false, description, schema };
}

function path(name: string, description: string): Schema {
  return { name, in: 'path', required: true, description, schema: str };
}

const LIST = [
  query('limit', `page size, 1 to ${MAX_LIMIT}`, {
    type: 'integer',
    minimum: 1,
    maximum: MAX_LIMIT,
    default: DEFAULT_LIMIT,
  }),
  query('cursor', 'the nextCursor of the previous page (opaque)'),
];

const ERRORS = {
  '400': { $ref: '#/components/responses/BadQuery' },
  '401': { $ref: '#/components/responses/Unauthorized' },
};

function json(schema: Schema, description = 'OK'): Schema {
  return { description, content: { 'application/json': { schema } } };
}

function get(summary: string, parameters: Schema[], schema: Schema, notFound = false): Schema {
  return {
    get: {
      summary,
      parameters,
      responses: {
        '200': json(schema),
        ...ERRORS,
        ...(notFound ? { '404': { $ref: '#/components/responses/NotFound' } } : {}),
      },
    },
  };
}

const SCHEMAS: Record<string, Schema> = {
  Error: object({ code: { type: 'string', pattern: '^LH_ERR_' }, error: str }, ['code', 'error']),
  Subject: object({ appId: str, sdkAppId: str, streamId: str, roomId: str, taskId: str, userId: str }, []),
  Auth: object(
    { method: { enum: ['css-md5', 'trtc-hmac', 'unsigned'] }, keyId: str, stale: { type: 'boolean' } },
    ['method', 'stale'],
  ),
  ValidationIssue: { type: 'object', properties: { path: str, message: str }, required: ['message'] },
  EnvelopeFields: object(
    {
      id: { type: 'string', format: 'uuid' },
      type: str,
      family: { enum: ['css', 'trtc'] },
      source: str,
      dedupeKey: str,
      occurredAt: ms,
      receivedAt: ms,
      subject: ref('Subject'),
      data: {},
      summary: str,
      auth: ref('Auth'),
      issues: { type: 'array', items: ref('ValidationIssue') },
      classifiedAs: {
        type: 'string',
        description:
          'on a css.unknown or trtc.unknown event that failed the schema of a catalog type: that type',
      },
      duplicates: { type: 'integer', minimum: 0 },
    },
    [
      'id',
      'type',
      'family',
      'source',
      'dedupeKey',
      'occurredAt',
      'receivedAt',
      'subject',
      'data',
      'summary',
      'auth',
    ],
    true,
  ),
  Delivery: object(
    {
      id: str,
      eventId: str,
      eventType: str,
      sink: str,
      status: str,
      attempts: int,
      nextAttemptAt: nullable(int),
      lastError: nullable(str),
      result: {},
      createdAt: ms,
      updatedAt: ms,
      deliveredAt: nullable(int),
    },
    ['id', 'sink', 'status'],
    true,
  ),
  EventDetail: closed('Envelope', {
    properties: {
      payload: { type: 'object' },
      raw: { type: 'string', description: 'the body exactly as received, as UTF-8 text' },
      headers: { type: 'object', additionalProperties: str },
      deliveries: { type: 'array', items: ref('Delivery') },
    },
    required: ['raw', 'headers', 'deliveries'],
  }),
  Screenshot: object({ url: str, at: ms }, ['url', 'at']),
  StreamItemFields: object(
    {
      appId: str,
      streamId: str,
      status: { enum: ['live', 'offline', 'unknown'] },
      health: { enum: ['ok', 'broken', 'low_framerate'] },
      lastEventAt: ms,
      lastPushAt: ms,
      lastDisconnectAt: ms,
      disconnectReason: str,
      sessionSequence: str,
      brokenCount: int,
      lowFramerateCount: int,
      moderationHits: int,
      latestScreenshot: ref('Screenshot'),
    },
    [
      'appId',
      'streamId',
      'status',
      'health',
      'lastEventAt',
      'brokenCount',
      'lowFramerateCount',
      'moderationHits',
    ],
    true,
  ),
  ModerationItemFields: object(
    {
      id: str,
      eventId: str,
      eventType: str,
      occurredAt: ms,
      streamId: str,
      roomId: str,
      userId: str,
      taskId: str,
      mediaType: { enum: ['image', 'audio', 'text'] },
      mediaUrl: str,
      labels: { type: 'array', items: str },
      score: { type: 'number' },
      suggestion: { enum: ['Block', 'Review', 'Pass', null] },
      text: str,
      status: { enum: ['pending', 'confirmed', 'dismissed', 'escalated'] },
      decidedAt: ms,
      decidedBy: str,
      note: str,
    },
    ['id', 'eventId', 'eventType', 'occurredAt', 'mediaType', 'labels', 'suggestion', 'status'],
    true,
  ),
  Decision: object({ action: { enum: ['confirm', 'dismiss', 'escalate'] }, actor: str, note: str, at: ms }, [
    'action',
    'actor',
    'note',
    'at',
  ]),
  DecisionRequest: object(
    {
      action: { enum: ['confirm', 'dismiss', 'escalate'] },
      actor: { type: 'string', maxLength: 200 },
      note: { type: 'string', maxLength: 2000 },
    },
    ['action'],
  ),
  TrtcTaskFields: object(
    {
      taskId: str,
      sdkAppId: str,
      roomId: str,
      state: { enum: ['starting', 'failed_to_start', 'running', 'sending', 'stopped', 'errored'] },
      stateLabel: str,
      leaveCode: int,
      leaveReason: str,
      lastError: object({ code: { type: ['string', 'integer'] }, message: str }, ['code', 'message']),
      startedAt: ms,
      updatedAt: ms,
      results: object({ Pass: int, Review: int, Block: int }, ['Pass', 'Review', 'Block']),
    },
    ['taskId', 'state', 'stateLabel', 'updatedAt', 'results'],
    true,
  ),
  TranscriptHit: object(
    {
      eventId: str,
      streamId: str,
      kind: { enum: ['asr', 'ocr', 'subtitle'] },
      text: str,
      startMs: int,
      endMs: int,
      occurredAt: ms,
      highlights: {
        type: 'array',
        description: '[start, end) offsets of the hits in text, in UTF-16 code units',
        items: { type: 'array', items: int, minItems: 2, maxItems: 2 },
      },
    },
    ['eventId', 'kind', 'text', 'occurredAt', 'highlights'],
  ),
  Rejection: object(
    {
      id: str,
      receivedAt: ms,
      status: int,
      code: str,
      message: str,
      remoteAddress: str,
      path: str,
      headers: { type: 'object', additionalProperties: str },
      bodyPrefix: str,
    },
    ['id', 'receivedAt', 'status', 'code', 'message', 'remoteAddress', 'path', 'headers', 'bodyPrefix'],
  ),
  ProjectionFailure: object(
    {
      eventId: { type: 'string', format: 'uuid' },
      eventType: str,
      code: { type: 'string', description: 'the database error code (SQLSTATE, SQLITE_*) or error name' },
      error: { type: 'string', maxLength: 500 },
      attempts: { type: 'integer', minimum: 1 },
      failedAt: ms,
    },
    ['eventId', 'eventType', 'error', 'attempts', 'failedAt'],
  ),
  ProjectionRetry: object({ projected: { type: 'boolean' }, failure: ref('ProjectionFailure') }, [
    'projected',
  ]),
  Stats: object(
    {
      buckets: { type: 'array', items: object({ t: ms, counts }, ['t', 'counts']) },
      totals: object(
        { events: int, duplicates: int, rejections: int, projectionFailures: int, byType: counts },
        ['events', 'rejections', 'projectionFailures', 'byType'],
      ),
      recentAlerts: { type: 'array', items: ref('Envelope') },
    },
    ['buckets', 'totals', 'recentAlerts'],
  ),
};

for (const name of ['Envelope', 'StreamItem', 'ModerationItem', 'TrtcTask']) SCHEMAS[name] = closed(name);

const eventFilters = [
  query(
    'type',
    'event types, comma-separated or repeated; patterns such as css.moderation.*; also matches *.unknown events classified as one of them',
  ),
  query('family', 'css or trtc'),
  query('stream_id', 'subject stream'),
  query('room_id', 'subject room'),
  query('task_id', 'subject task'),
  query('user_id', 'subject user'),
  query('since', 'received at or after: ms or ISO 8601'),
  query('until', 'received before: ms or ISO 8601'),
  query('q', 'words the summary contains'),
];

/**
 * The OpenAPI 3.1 document of the gateway's HTTP API (its JSON Schemas are JSON Schema 2020-12); a test
 * validates real answers of every endpoint against it.
 *
 * @example
 * ```ts
 * const document = openApiDocument();
 * console.log(Object.keys(document.paths)); // ['/api/events', ...]
 * ```
 */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'livehooks gateway API',
      version: '0.1.0',
      description:
        'Stored Tencent Cloud CSS and TRTC callbacks and their projections. docs/api.md explains each endpoint.',
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/events': get('Stored events, newest first', [...eventFilters, ...LIST], pageOf('Envelope')),
      '/api/events/stream': {
        get: {
          summary:
            'Live tail as Server-Sent Events (id, event: event, data: Envelope JSON); resumes after Last-Event-ID',
          parameters: [
            query('type', 'event types or patterns; also matches *.unknown events classified as one of them'),
            query('stream_id', 'subject stream'),
            { name: 'Last-Event-ID', in: 'header', required: false, schema: str },
          ],
          responses: {
            '200': {
              description: 'an endless text/event-stream',
              content: { 'text/event-stream': { schema: str } },
            },
            ...ERRORS,
          },
        },
      },
      '/api/events/{id}': get(
        'One event with its raw body, headers and deliveries',
        [path('id', 'event id')],
        ref('EventDetail'),
        true,
      ),
      '/api/streams': get(
        'Streams, most recent activity first',
        [query('status', 'live, offline or unknown'), query('q', 'part of the stream id'), ...LIST],
        pageOf('StreamItem'),
      ),
      '/api/streams/{streamId}': get(
        'One stream with its timeline (newest 200 events), screenshots and moderation hits',
        [path('streamId', 'stream id'), query('app_id', 'the app, when a stream id exists in several')],
        closed('StreamItem', {
          properties: {
            timeline: { type: 'array', items: ref('Envelope') },
            screenshots: { type: 'array', items: ref('Screenshot') },
            moderation: { type: 'array', items: ref('ModerationItem') },
          },
          required: ['timeline', 'screenshots', 'moderation'],
        }),
        true,
      ),
      '/api/moderation': get(
        'The moderation queue, newest first',
        [
          query('status', 'pending, confirmed, dismissed or escalated'),
          query('source', 'an event type (css.moderation.image, trtc.moderation.result, ...) or a family'),
          query('stream_id', 'stream'),
          ...LIST,
        ],
        pageOf('ModerationItem'),
      ),
      '/api/moderation/{id}': get(
        'One moderation item with its decisions, oldest first',
        [path('id', 'item id (the event id)')],
        closed('ModerationItem', {
          properties: { decisions: { type: 'array', items: ref('Decision') } },
          required: ['decisions'],
        }),
        true,
      ),
      '/api/moderation/{id}/decision': {
        post: {
          summary: 'Records a human decision (kept as an audit trail) and returns the updated item',
          parameters: [path('id', 'item id')],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('DecisionRequest') } },
          },
          responses: {
            '200': json(ref('ModerationItem')),
            ...ERRORS,
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      '/api/trtc/tasks': get(
        'TRTC cloud moderation tasks, most recently updated first',
        [
          query('state', 'starting, failed_to_start, running, sending, stopped or errored'),
          query('room_id', 'room'),
          ...LIST,
        ],
        pageOf('TrtcTask'),
      ),
      '/api/trtc/tasks/{taskId}': get(
        'One task with its events (TRTC 1101..1106)',
        [path('taskId', 'TaskId')],
        closed('TrtcTask', {
          properties: { events: { type: 'array', items: ref('Envelope') } },
          required: ['events'],
        }),
        true,
      ),
      '/api/transcripts': get(
        'Transcript search (ASR, OCR, subtitles), Chinese substrings included, newest first',
        [
          query('q', 'words, all of which the text contains'),
          query('stream_id', 'stream'),
          query('kind', 'asr, ocr or subtitle'),
          ...LIST,
        ],
        pageOf('TranscriptHit'),
      ),
      '/api/projections/failures': get(
        'Events set aside because their projection fails even alone, most recent failure first',
        LIST,
        pageOf('ProjectionFailure'),
      ),
      '/api/projections/failures/{id}/retry': {
        post: {
          summary: 'Applies a set-aside event again; answers whether it was projected, or its new failure',
          parameters: [path('id', 'event id')],
          responses: {
            '200': json(ref('ProjectionRetry')),
            ...ERRORS,
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      '/api/rejections': get(
        'Refused callback requests, newest first',
        [query('reason', 'an LH_ERR_* code'), ...LIST],
        pageOf('Rejection'),
      ),
      '/api/stats': get(
        'Events per type per time bucket, totals and recent alerts',
        [
          query('since', 'start of the window (default: one hour ago)'),
          query('bucket', 'bucket width in ms (default 60000)', { type: 'integer', minimum: 1000 }),
        ],
        ref('Stats'),
      ),
      '/api/deliveries': get(
        'Deliveries of events to sinks (fan-out), newest first',
        [query('status', 'pending, held, delivered, dead or disabled'), query('sink', 'sink name'), ...LIST],
        pageOf('Delivery'),
      ),
      '/api/openapi.json': get('This document', [], { type: 'object', required: ['openapi', 'paths'] }),
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the API token' } },
      responses: {
        BadQuery: json(ref('Error'), 'a malformed parameter or body (LH_ERR_INVALID_QUERY)'),
        Unauthorized: json(ref('Error'), 'no or a wrong bearer token (LH_ERR_UNAUTHORIZED)'),
        NotFound: json(ref('Error'), 'no such record (LH_ERR_NOT_FOUND)'),
      },
      schemas: SCHEMAS,
    },
  };
}
