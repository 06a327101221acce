import { LivehooksError, type Subject } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../api/cursor.js';
import { apiSchemas } from '../api/openapi.js';
import { apiErrors, errorAnswer, limitParam, pageOf, textParam, UUID } from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import {
  TENCENT_ACTIONS,
  tencentCaller,
  tencentRequest,
  type TencentAction,
  type TencentApiConfig,
} from '../tencent/tencent-api.js';
import { ActionStore } from './action-store.js';

/** A configured Tencent sink whose credentials operator actions may use. */
export interface ActionCredentials extends Omit<TencentApiConfig, 'action'> {
  name: string;
  /** A dry-run sink never calls Tencent: actions through it are dry runs too. */
  dryRun: boolean;
  forbidSeconds: number;
}

/** What the action routes need. */
export interface ActionRoutesOptions {
  store: KyselyStore;
  /** The `tencent` sinks of the configuration. */
  tencent: readonly ActionCredentials[];
  now?: () => number;
}

const ms = z.number().int().meta({ description: 'milliseconds since the epoch' });

/** An operator action and its outcome, as `POST /api/actions` answers it and its audit trail lists it. */
export const actionSchema = z
  .object({
    id: z.string(),
    createdAt: ms,
    action: z.enum(TENCENT_ACTIONS),
    eventId: z.string().meta({ description: 'the event the operator acted on' }),
    streamId: z.string().nullable(),
    roomId: z.string().nullable(),
    userId: z.string().nullable(),
    actor: z.string().meta({ description: 'who decided' }),
    reason: z.string().meta({ description: 'why' }),
    dryRun: z.boolean().meta({ description: 'true when the request was recorded and not sent' }),
    sink: z.string().nullable().meta({ description: 'the tencent sink whose credentials made the call' }),
    status: z.enum(['dry_run', 'done', 'failed']),
    request: z.record(z.string(), z.unknown()).meta({ description: 'the request sent (or that would be)' }),
    answer: z.unknown().meta({ description: "Tencent's answer to a call that was made" }),
    error: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'Action', description: 'an operator action and its outcome' });

const actionBody = z.object({
  action: z.enum(TENCENT_ACTIONS).meta({ description: 'the Tencent Cloud API action' }),
  eventId: z.string().regex(UUID, 'eventId must be the id of a stored event').meta({
    description:
      'the stored event naming the stream (CSS: any event of it, the push domain coming from its latest push or disconnect) or the room and user (TRTC) to act on',
  }),
  actor: z.string().trim().min(1, 'actor names who decides').max(100),
  reason: z.string().trim().min(1, 'reason says why').max(500),
  dryRun: z.boolean().default(true).meta({ description: 'record the request without calling Tencent' }),
  sink: z
    .string()
    .optional()
    .meta({ description: 'the tencent sink whose credentials to use; default: the only one configured' }),
});

const listQuery = z.object({
  event_id: textParam('event_id', 'actions on this event'),
  stream_id: textParam('stream_id', 'actions on this CSS stream'),
  room_id: textParam('room_id', 'actions in this TRTC room'),
  cursor: textParam('cursor', 'the nextCursor of the previous page (opaque)'),
  limit: limitParam,
});

/** The actions on a CSS stream: they need its push domain. */
const STREAM_ACTIONS = new Set<TencentAction>(['DropLiveStream', 'ForbidLiveStream', 'ResumeLiveStream']);

/** The data of the latest push or disconnect callback of a stream (of its app, if it names one). */
async function latestSession(store: KyselyStore, subject: Subject): Promise<unknown> {
  if (subject.streamId === undefined) return undefined;
  let select = store.db
    .selectFrom('events')
    .select('data')
    .where('stream_id', '=', subject.streamId)
    .where('type', 'in', ['css.stream.push', 'css.stream.disconnect'])
    .orderBy('id', 'desc')
    .limit(1);
  if (subject.appId !== undefined) select = select.where('app_id', '=', subject.appId);
  const row = await select.executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.data) as unknown);
}

/** Default region and host of a dry run that names no sink. */
const DRY_RUN_DEFAULTS = {
  region: 'ap-guangzhou',
  protocol: 'https:' as const,
  timeoutMs: 10_000,
  forbidSeconds: 600,
};

function invalid(message: string): LivehooksError {
  return LivehooksError.of('LH_ERR_INVALID_QUERY', { issue: message });
}

/**
 * Operator actions (registered inside the authenticated scope): `POST /api/actions` cuts off or forbids a
 * stream, or removes a TRTC user, through the Tencent Cloud API with the credentials of a configured
 * `tencent` sink, as a dry run unless asked otherwise; `GET /api/actions` is the audit trail, every action
 * with who, why, what was sent and what came back.
 */
export const actionRoutes: FastifyPluginCallback<ActionRoutesOptions> = (scope, options, done) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const actions = new ActionStore(options.store);
  const now = options.now ?? Date.now;

  const credentialsFor = (name: string | undefined, dryRun: boolean): ActionCredentials | undefined => {
    if (name !== undefined) {
      const named = options.tencent.find((sink) => sink.name === name);
      if (named === undefined)
        throw invalid(`sink ${JSON.stringify(name.slice(0, 80))} is not a tencent sink`);
      return named;
    }
    if (options.tencent.length === 1) return options.tencent[0];
    if (dryRun) return undefined;
    throw invalid(
      options.tencent.length === 0
        ? 'a call to Tencent needs a tencent sink with credentials in the configuration; none is configured (dryRun records the request only)'
        : 'several tencent sinks are configured: name the one whose credentials to use in sink',
    );
  };

  app.post(
    '/api/actions',
    {
      schema: {
        summary: 'Act on a stream or a TRTC user through the Tencent Cloud API (a dry run by default)',
        body: actionBody,
        response: { 200: actionSchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const body = request.body;
      const event = await options.store.getEvent(body.eventId);
      if (event === undefined) {
        throw LivehooksError.of('LH_ERR_NOT_FOUND', { what: 'event with id', id: body.eventId });
      }
      const sink = credentialsFor(body.sink, body.dryRun);
      const dryRun = body.dryRun || sink === undefined || sink.dryRun;
      if (!body.dryRun && sink?.dryRun === true) {
        throw invalid(`sink ${JSON.stringify(sink.name)} is configured as a dry run: it never calls Tencent`);
      }
      const at = now();
      const config = {
        action: body.action,
        forbidSeconds: sink?.forbidSeconds ?? DRY_RUN_DEFAULTS.forbidSeconds,
        reason: body.reason,
      };
      let tencentAction = tencentRequest(config, event, at);
      // Only push and disconnect callbacks name the push domain: an action on a stream taken from another of
      // its events (a moderation hit, a screenshot) takes the domain from the stream's latest session.
      const session =
        typeof tencentAction === 'string' && STREAM_ACTIONS.has(body.action)
          ? await latestSession(options.store, event.subject)
          : undefined;
      if (session !== undefined) tencentAction = tencentRequest(config, { ...event, data: session }, at);
      if (typeof tencentAction === 'string') throw invalid(`${body.action}: ${tencentAction}`);
      const base = {
        action: body.action,
        eventId: event.id,
        streamId: event.subject.streamId ?? null,
        roomId: event.subject.roomId ?? null,
        userId: event.subject.userId ?? null,
        actor: body.actor,
        reason: body.reason,
        dryRun,
        sink: sink?.name ?? null,
        request: tencentAction,
      };
      if (dryRun) return actions.record({ ...base, status: 'dry_run', answer: null, error: null }, at);
      try {
        const answer = await tencentCaller({ ...sink, action: body.action })(body.action, tencentAction);
        request.log.info(
          { action: body.action, eventId: event.id, actor: body.actor },
          'tencent action done',
        );
        return await actions.record({ ...base, status: 'done', answer, error: null }, now());
      } catch (cause) {
        const error = cause as { code?: string; message?: string; requestId?: string };
        const message =
          `${error.code ?? 'error'} ${error.message ?? ''}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`.trim();
        request.log.warn({ action: body.action, eventId: event.id, error: message }, 'tencent action failed');
        return actions.record({ ...base, status: 'failed', answer: null, error: message }, now());
      }
    },
  );

  app.get(
    '/api/actions',
    {
      schema: {
        summary: 'The audit trail of operator actions, newest first',
        querystring: listQuery,
        response: { 200: pageOf(actionSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { cursor, limit, event_id, stream_id, room_id } = request.query;
      const before = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && before === undefined)
        throw invalid('cursor is not a cursor this API returned');
      const { items, hasMore } = await actions.list({
        limit,
        ...(event_id === undefined ? {} : { eventId: event_id }),
        ...(stream_id === undefined ? {} : { streamId: stream_id }),
        ...(room_id === undefined ? {} : { roomId: room_id }),
        ...(before === undefined ? {} : { before }),
      });
      const last = items.at(-1);
      return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
    },
  );
  done();
};
