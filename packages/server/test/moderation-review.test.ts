import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections, type LivehooksServer } from '../src/index.js';
import { craft, deliver, taskEvent } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { AUTH, createTestServer } from './support/test-server.js';

interface Item {
  id: string;
  eventType: string;
  streamId?: string;
  labels: string[];
  score?: number;
  status: string;
  decidedBy?: string;
  note?: string;
}
type Counts = { pending: number; escalated: number; confirmed: number; dismissed: number };

/** A flagged CSS image of `streamId` with one label and a score. */
const flagged = (streamId: string, label: string, score: number, at: number) =>
  craft(
    'css.moderation.image',
    {
      streamId,
      label,
      socre: score,
      suggestion: 'Review',
      labelResults: [],
      objectResults: [],
      screenshotTime: at,
      img: `https://cos.example.com/${streamId}-${at}.jpg`,
    },
    'doc-sample',
  );

describeEachDialect('moderation review', (databases) => {
  let server: LivehooksServer;
  const call = async <T>(method: 'GET' | 'POST', url: string, status = 200, payload?: unknown) => {
    await server.projector.idle();
    const response = await server.app.inject({
      method,
      url,
      headers: payload === undefined ? AUTH : { ...AUTH, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
    const body = response.json<T>();
    const route = url.split('?')[0]!.replace(/\/api\/moderation\/[0-9a-f-]{36}/, '/api/moderation/{id}');
    expect(validate(route, method.toLowerCase(), status, body), url).toEqual([]);
    return body;
  };
  const list = async (query: string) =>
    (await call<{ items: Item[] }>('GET', `/api/moderation?${query}`)).items;

  beforeAll(async () => {
    server = await createTestServer(databases);
    await deliver(server, flagged('review-a', 'Porn', 95, 1_700_000_100));
    await deliver(server, flagged('review-a', 'Ad', 40, 1_700_000_200));
    await deliver(server, flagged('review-b', 'Porn', 60, 1_700_000_300));
    await deliver(server, flagged('review-b', 'Terror', 85, 1_700_000_400));
    await deliver(
      server,
      taskEvent(
        'trtc.moderation.result',
        'review-task',
        1_700_000_500_000,
        { DataId: 'r-1', Suggest: 1 },
        'doc-sample-audio',
      ),
    );
  });
  afterAll(() => server.close());

  it('counts the items left to review, for the whole queue and for a filter', async () => {
    expect(await call<Counts>('GET', '/api/moderation/counts')).toEqual({
      pending: 5,
      escalated: 0,
      confirmed: 0,
      dismissed: 0,
    });
    expect(await call<Counts>('GET', '/api/moderation/counts?stream_id=review-b')).toMatchObject({
      pending: 2,
    });
    expect(await call<Counts>('GET', '/api/moderation/counts?source=trtc')).toMatchObject({ pending: 1 });
  });

  it('filters by source, label and score', async () => {
    const porn = await list('label=porn');
    expect(porn.map((item) => [item.streamId, item.labels])).toEqual([
      ['review-b', ['Porn']],
      ['review-a', ['Porn']],
    ]);
    const high = await list('min_score=80&source=css.moderation.image');
    expect(high.map((item) => item.score)).toEqual([85, 95]);
    expect(await list('label=Porn&min_score=90')).toHaveLength(1);
    // A label matches whole: "Po" is no label.
    expect(await list('label=Po')).toEqual([]);
    const trtc = await list('source=trtc');
    expect(trtc.map((item) => item.eventType)).toEqual(['trtc.moderation.result']);
    const bad = await call<{ code: string; error: string }>('GET', '/api/moderation?min_score=high', 400);
    expect(bad).toEqual({
      code: 'LH_ERR_INVALID_QUERY',
      error: expect.stringContaining('min_score') as string,
    });
  });

  it('decides several items at once, each with its own audit trail, and names the ids it did not find', async () => {
    const targets = (await list('stream_id=review-a')).map((item) => item.id);
    const nowhere = '00000000-0000-7000-8000-000000000000';
    const answer = await call<{ items: Item[]; missing: string[] }>(
      'POST',
      '/api/moderation/decisions',
      200,
      {
        ids: [...targets, nowhere],
        action: 'dismiss',
        actor: 'mei',
        note: 'adverts and a false alarm',
      },
    );
    expect(answer.items.map((item) => [item.id, item.status, item.decidedBy])).toEqual(
      targets.map((id) => [id, 'dismissed', 'mei']),
    );
    expect(answer.missing).toEqual([nowhere]);
    for (const id of targets) {
      const detail = await call<{ decisions: { action: string; actor: string; note: string }[] }>(
        'GET',
        `/api/moderation/${id}`,
      );
      expect(detail.decisions).toEqual([
        expect.objectContaining({ action: 'dismiss', actor: 'mei', note: 'adverts and a false alarm' }),
      ]);
    }
    expect(await call<Counts>('GET', '/api/moderation/counts')).toMatchObject({ pending: 3, dismissed: 2 });
    expect((await list('status=pending')).map((item) => item.streamId)).not.toContain('review-a');

    for (const body of [
      { ids: [], action: 'dismiss' },
      { ids: ['not-an-id'], action: 'dismiss' },
      { ids: targets, action: 'approve' },
    ]) {
      const bad = await call<{ code: string }>('POST', '/api/moderation/decisions', 400, body);
      expect(bad.code).toBe('LH_ERR_INVALID_QUERY');
    }
  });

  it('undoes the latest decision still standing, keeps the undo in the audit trail, and across a rebuild', async () => {
    const [item] = await list('stream_id=review-b&label=Terror');
    const decide = (action: string, actor: string) =>
      call<Item>('POST', `/api/moderation/${item!.id}/decision`, 200, { action, actor });
    const undo = (actor: string) => call<Item>('POST', `/api/moderation/${item!.id}/undo`, 200, { actor });
    await decide('escalate', 'ann');
    await decide('confirm', 'bo');
    expect(await undo('bo')).toMatchObject({ status: 'escalated', decidedBy: 'ann' });
    await server.projector.idle();
    await rebuildProjections(server.store);
    expect(await call<Item>('GET', `/api/moderation/${item!.id}`)).toMatchObject({
      status: 'escalated',
      decidedBy: 'ann',
    });
    const pending = await undo('ann');
    expect(pending.status).toBe('pending');
    expect(pending.decidedBy).toBeUndefined();
    const nothing = await call<{ code: string; error: string }>(
      'POST',
      `/api/moderation/${item!.id}/undo`,
      400,
      {},
    );
    expect(nothing).toEqual({
      code: 'LH_ERR_INVALID_QUERY',
      error: expect.stringContaining('no decision to undo') as string,
    });
    const detail = await call<{ decisions: { action: string; actor: string }[] }>(
      'GET',
      `/api/moderation/${item!.id}`,
    );
    expect(detail.decisions.map((decision) => [decision.action, decision.actor])).toEqual([
      ['escalate', 'ann'],
      ['confirm', 'bo'],
      ['undo', 'bo'],
      ['undo', 'ann'],
    ]);
    await call('POST', '/api/moderation/00000000-0000-7000-8000-000000000000/undo', 404, {});
  });

  describe('the queue of pending items', () => {
    it('leaves out decided items, so the next page of the cursor holds none', async () => {
      const pending = await list('status=pending&limit=500');
      expect(pending.every((item) => item.status === 'pending')).toBe(true);
      const counts = await call<Counts>('GET', '/api/moderation/counts');
      expect(pending).toHaveLength(counts.pending);
    });
  });
});
