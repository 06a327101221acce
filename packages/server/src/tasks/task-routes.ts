import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import {
  apiErrors,
  cursorParam,
  errorAnswer,
  limitParam,
  notFound,
  oneOfParam,
  pageFrom,
  pageOf,
  textParam,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { findTask, listTasks, taskEvents, type TaskPosition } from './task-repository.js';
import { TASK_STATES, taskDetailSchema, taskSchema } from './task-schemas.js';

/** What the task routes need. */
export interface TaskRoutesOptions {
  store: KyselyStore;
}

const TASK_EVENTS = 500;

const listQuery = z.object({
  state: oneOfParam('state', TASK_STATES, 'starting, failed_to_start, running, sending, stopped or errored'),
  room_id: textParam('room_id', 'a TRTC room id'),
  limit: limitParam,
  cursor: cursorParam((cursor) => decodePosition(cursor, ['number', 'text']) as TaskPosition | undefined),
});

/**
 * The TRTC tasks feature of the API (registered inside the authenticated scope): `GET /api/trtc/tasks` (by
 * state and room, most recently updated first, cursor) and `GET /api/trtc/tasks/{taskId}` with its events.
 *
 * @example
 * ```ts
 * await api.register(taskRoutes, { store });
 * ```
 */
export const taskRoutes: FastifyPluginCallback<TaskRoutesOptions> = (scope, options, done) => {
  const { store } = options;
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/trtc/tasks',
    {
      schema: {
        summary: 'TRTC cloud moderation tasks, most recently updated first',
        querystring: listQuery,
        response: { 200: pageOf(taskSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { state, room_id, cursor, limit } = request.query;
      const rows = await listTasks(store, {
        limit: limit + 1,
        ...(state === undefined ? {} : { state }),
        ...(room_id === undefined ? {} : { roomId: room_id }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return pageFrom(rows, limit, (last) => encodePosition([last.updatedAt, last.taskId]));
    },
  );

  app.get(
    '/api/trtc/tasks/:taskId',
    {
      schema: {
        summary: 'One task with its events (TRTC 1101..1106)',
        params: z.object({ taskId: z.string().meta({ description: 'the TaskId' }) }),
        response: { 200: taskDetailSchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { taskId } = request.params;
      const task = await findTask(store, taskId);
      if (task === undefined) throw notFound('TRTC moderation task', taskId);
      return { ...task, events: await taskEvents(store, taskId, TASK_EVENTS) };
    },
  );
  done();
};
