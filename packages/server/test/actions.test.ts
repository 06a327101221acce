import { freshSample } from '@livehooks/fixtures';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createServer, type LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { AUTH, postCallback, testConfig } from './support/test-server.js';

const SECRET_ID = 'AKIDactionsStandIn000000000000000';
const SECRET_KEY = 'aCtIoNsSeCrEtKeyThatMustNeverShow';

interface Action {
  id: string;
  action: string;
  eventId: string;
  streamId: string | null;
  roomId: string | null;
  userId: string | null;
  actor: string;
  reason: string;
  dryRun: boolean;
  sink: string | null;
  status: string;
  request: Record<string, unknown>;
  answer: unknown;
  error: string | null;
}

describeEachDialect('operator actions through the Tencent Cloud API', (databases) => {
  let receiver: TestReceiver;
  let server: LivehooksServer | undefined;

  beforeAll(async () => {
    receiver = await startTestReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(async () => {
    await server?.close();
    server = undefined;
    receiver.requests.length = 0;
  });

  const start = async (sinks: Record<string, unknown>[] = []): Promise<LivehooksServer> => {
    server = await createServer({ config: testConfig(databases, { sinks, dispatch: { pollMs: 20 } }) });
    return server;
  };
  const tencentSink = (overrides: Record<string, unknown> = {}) => ({
    name: 'tencent-ops',
    type: 'tencent',
    action: 'DropLiveStream',
    dryRun: false,
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    endpoint: `127.0.0.1:${new URL(receiver.url).port}`,
    protocol: 'http:',
    // Only operator actions: no event is delivered to the sink by itself.
    filter: { types: ['css.stream.push'], where: ['subject.streamId == "never-matches"'] },
    ...overrides,
  });
  /** Stores a signed CSS push of `stream` on domain push.example.com; returns its event id. */
  const push = async (stream: string): Promise<string> => {
    const callback = freshSample('css.stream.push', {
      overrides: { stream_id: stream, channel_id: stream, app: 'push.example.com', appname: 'live' },
    });
    await postCallback(server!, callback);
    return (await server!.store.listEvents({ limit: 1, streamId: stream })).items[0]!.id;
  };
  const act = (payload: Record<string, unknown>) =>
    server!.app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  it('records a dry run by default, with who and why, and calls nothing', async () => {
    await start([tencentSink()]);
    const eventId = await push('s-dry');
    const answer = await act({
      action: 'DropLiveStream',
      eventId,
      actor: 'wang',
      reason: 'nudity on stream',
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const action = answer.json<Action>();
    expect(action).toMatchObject({
      action: 'DropLiveStream',
      eventId,
      streamId: 's-dry',
      actor: 'wang',
      reason: 'nudity on stream',
      dryRun: true,
      status: 'dry_run',
      request: { StreamName: 's-dry', DomainName: 'push.example.com', AppName: 'live' },
      answer: null,
    });
    expect(receiver.requests).toHaveLength(0);
    const trail = await server!.app.inject({
      method: 'GET',
      url: '/api/actions?stream_id=s-dry',
      headers: AUTH,
    });
    expect(trail.json<{ items: Action[] }>().items).toEqual([action]);
  });

  it('calls Tencent when asked, records the answer, and never shows the credentials', async () => {
    await start([tencentSink()]);
    receiver.answerBody = '{"Response":{"RequestId":"req-forbid-op"}}';
    const eventId = await push('s-live');
    const answer = await act({
      action: 'ForbidLiveStream',
      eventId,
      actor: 'li',
      reason: 'repeated violations',
      dryRun: false,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const action = answer.json<Action>();
    expect(action).toMatchObject({
      status: 'done',
      dryRun: false,
      sink: 'tencent-ops',
      answer: { RequestId: 'req-forbid-op' },
    });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['x-tc-action']).toBe('ForbidLiveStream');
    const sent = JSON.parse(receiver.requests[0]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({
      StreamName: 's-live',
      DomainName: 'push.example.com',
      Reason: 'repeated violations',
    });
    const trail = await server!.app.inject({
      method: 'GET',
      url: `/api/actions?event_id=${eventId}`,
      headers: AUTH,
    });
    expect(trail.body).toContain('req-forbid-op');
    expect(trail.body).not.toContain(SECRET_KEY);
    expect(answer.body).not.toContain(SECRET_KEY);
  });

  it('records a refused call as failed with Tencent’s words', async () => {
    await start([tencentSink()]);
    receiver.answerBody =
      '{"Response":{"Error":{"Code":"ResourceNotFound.StreamNotAlive","Message":"stream is not alive"},"RequestId":"req-x"}}';
    const eventId = await push('s-gone');
    const action = (
      await act({ action: 'DropLiveStream', eventId, actor: 'li', reason: 'test', dryRun: false })
    ).json<Action>();
    expect(action.status).toBe('failed');
    expect(action.error).toContain('ResourceNotFound.StreamNotAlive');
  });

  it('refuses a real call without credentials, through a dry-run sink, or on an unknown event', async () => {
    await start();
    const eventId = await push('s-none');
    const noSink = await act({ action: 'DropLiveStream', eventId, actor: 'li', reason: 'x', dryRun: false });
    expect(noSink.statusCode).toBe(400);
    expect(noSink.json()).toMatchObject({
      code: 'LH_ERR_INVALID_QUERY',
      error: expect.stringContaining('no') as string,
    });
    // Without a sink a dry run is still possible: it records what would be sent.
    const dry = await act({ action: 'DropLiveStream', eventId, actor: 'li', reason: 'x' });
    expect(dry.json<Action>()).toMatchObject({ status: 'dry_run', sink: null });
    const missing = await act({
      action: 'DropLiveStream',
      eventId: '01900000-0000-7000-8000-000000000000',
      actor: 'li',
      reason: 'x',
    });
    expect(missing.statusCode).toBe(404);
    const noReason = await act({ action: 'DropLiveStream', eventId, actor: 'li', reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<{ error: string }>().error).toContain('reason says why');
    const trtcOnCss = await act({ action: 'RemoveUser', eventId, actor: 'li', reason: 'x' });
    expect(trtcOnCss.statusCode).toBe(400);
    expect(trtcOnCss.json<{ error: string }>().error).toContain('RemoveUser');
    await server!.close();
    await start([tencentSink({ dryRun: true })]);
    const eventId2 = await push('s-dry-sink');
    const drySink = await act({
      action: 'DropLiveStream',
      eventId: eventId2,
      actor: 'li',
      reason: 'x',
      dryRun: false,
    });
    expect(drySink.statusCode).toBe(400);
    expect(drySink.json<{ error: string }>().error).toContain('dry run');
    expect(receiver.requests).toHaveLength(0);
  });

  it('forbids a stream from an event that names no push domain, with the domain of the stream’s latest push', async () => {
    await start();
    await push('s-flagged');
    // A subtitle callback names neither the app nor the push domain.
    const subtitle = freshSample('css.subtitles', {
      overrides: { stream_id: 's-flagged', channel_id: 's-flagged' },
    });
    const stored = await server!.app.inject({
      method: 'POST',
      url: '/callbacks',
      payload: subtitle.body,
      headers: subtitle.headers,
    });
    expect(stored.statusCode, stored.body).toBe(200);
    const eventId = (await server!.store.listEvents({ limit: 1, types: ['css.subtitles'] })).items[0]!.id;
    const answer = await act({ action: 'ForbidLiveStream', eventId, actor: 'mei', reason: 'nudity' });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json<Action>()).toMatchObject({
      eventId,
      streamId: 's-flagged',
      status: 'dry_run',
      request: { StreamName: 's-flagged', DomainName: 'push.example.com', AppName: 'live', Reason: 'nudity' },
    });
    // A stream of which no push was stored names no domain: the action says so.
    const lone = freshSample('css.subtitles', { overrides: { stream_id: 's-lone', channel_id: 's-lone' } });
    await server!.app.inject({
      method: 'POST',
      url: '/callbacks',
      payload: lone.body,
      headers: lone.headers,
    });
    const loneId = (await server!.store.listEvents({ limit: 1, streamId: 's-lone' })).items[0]!.id;
    const refused = await act({ action: 'DropLiveStream', eventId: loneId, actor: 'mei', reason: 'nudity' });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json<{ error: string }>().error).toContain('push domain');
  });
});
