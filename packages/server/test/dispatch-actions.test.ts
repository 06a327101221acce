import { createHash, createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { freshSample } from '@livehooks/fixtures';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  createServer,
  type AlertSinkConfig,
  type Delivery,
  type DeliveryEnvelope,
  type LivehooksServer,
} from '../src/index.js';
import { parseDispatchSections } from '../src/dispatch/dispatch-config.js';
import { createAlertSink } from '../src/dispatch/sinks/alert-sink.js';
import { describeEachDialect } from './support/databases.js';
import { eventually, startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { AUTH, postCallback, testConfig } from './support/test-server.js';

const BOT_SECRET = 'SECa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8';
const SECRET_ID = 'AKIDtestSecretIdForTheStandIn0000';
const SECRET_KEY = 'tEsTsEcReTkEyThatMustNeverBeLogged';
let counter = 0;

/** A signed 317 image moderation callback of `stream` with a fixed label, score and image link. */
function moderationImage(stream: string): { body: string; headers: Record<string, string> } {
  counter += 1;
  return freshSample('css.moderation.image', {
    overrides: {
      stream_id: stream,
      streamname: stream,
      streamId: stream,
      channelId: stream,
      app: 'push.example.com',
      appname: 'live',
      img: `https://img.example.com/${stream}/${counter}.jpg`,
      suggestion: 'Block',
      label: 'Porn',
      socre: 99,
    },
  });
}

/** A signed TRTC video-start callback (room and user) of the fixtures' test app. */
function trtcRoomEvent(): { body: string; headers: Record<string, string> } {
  return freshSample('trtc.media.video_start', {
    overrides: { 'EventInfo.RoomId': 'lobby-9', 'EventInfo.UserId': 'user-42' },
  });
}

/** TC3-HMAC-SHA256 as Tencent documents it, to check the SDK's Authorization from the outside. */
function tc3Signature(options: {
  secretKey: string;
  service: string;
  date: string;
  timestamp: string;
  host: string;
  contentType: string;
  body: string;
}): string {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${options.contentType}\nhost:${options.host}\n`,
    'content-type;host',
    sha256(options.body),
  ].join('\n');
  const scope = `${options.date}/${options.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', options.timestamp, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${options.secretKey}`, options.date), options.service), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describeEachDialect('alert and Tencent API sinks', (databases) => {
  let receiver: TestReceiver;
  let server: LivehooksServer | undefined;
  let logs = '';

  const start = async (sinks: unknown[]): Promise<LivehooksServer> => {
    logs = '';
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs += chunk.toString();
          done();
        },
      }),
    );
    server = await createServer({
      config: testConfig(databases, {
        sinks,
        dispatch: { pollMs: 20, retry: { scheduleMs: [], jitter: 0 } },
      }),
      logger,
    });
    return server;
  };
  const send = async (callback: { body: string; headers: Record<string, string> }): Promise<string> => {
    await postCallback(server!, callback);
    return (await server!.store.listEvents({ limit: 1 })).items[0]!.id;
  };
  const settled = (eventId: string, status: Delivery['status']) =>
    eventually(async () => {
      const [delivery] = (await server!.dispatch.deliveries.list({ eventId, limit: 5 })).items;
      return delivery?.status === status ? delivery : undefined;
    });
  const summaryOf = async (eventId: string): Promise<string> =>
    (await server!.store.listEvents({ limit: 50 })).items.find((event) => event.id === eventId)!.summary;
  const bodyOf = (index: number): Record<string, unknown> =>
    JSON.parse(receiver.requests[index]!.body) as Record<string, unknown>;

  beforeAll(async () => {
    receiver = await startTestReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    receiver.reset();
  });

  it('posts a WeCom markdown message with the stream, label, score and image link', async () => {
    receiver.answerBody = '{"errcode":0,"errmsg":"ok"}';
    await start([{ name: 'wecom', type: 'alert', format: 'wecom', url: `${receiver.url}?key=k1` }]);
    const eventId = await send(moderationImage('s-wecom'));
    const delivery = await settled(eventId, 'delivered');
    expect(delivery.result).toEqual({ sent: true });
    const summary = await summaryOf(eventId);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.url).toBe('/hooks?key=k1');
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/json');
    expect(bodyOf(0)).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          '**css.moderation.image**',
          `> ${summary}`,
          '> stream s-wecom',
          '> label: Block',
          '> score: 99',
          `[open](https://img.example.com/s-wecom/${counter}.jpg)`,
        ].join('\n'),
      },
    });
  });

  it('posts a DingTalk markdown message to the URL signed with timestamp and sign', async () => {
    receiver.answerBody = '{"errcode":0,"errmsg":"ok"}';
    await start([
      {
        name: 'ding',
        type: 'alert',
        format: 'dingtalk',
        url: `${receiver.url}?access_token=t1`,
        secret: BOT_SECRET,
      },
    ]);
    const before = Date.now();
    const eventId = await send(moderationImage('s-ding'));
    await settled(eventId, 'delivered');
    const summary = await summaryOf(eventId);
    const link = `https://img.example.com/s-ding/${counter}.jpg`;
    expect(bodyOf(0)).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: 'css.moderation.image',
        text: [
          '### css.moderation.image',
          `- ${summary}`,
          '- stream s-ding',
          '- label: Block',
          '- score: 99',
          `![image](${link})`,
          `[open](${link})`,
        ].join('\n\n'),
      },
    });
    // DingTalk: sign = urlencode(base64(HmacSHA256(key = secret, "timestamp\nsecret"))), timestamp in ms.
    const url = new URL(receiver.requests[0]!.url, 'http://x');
    expect(url.searchParams.get('access_token')).toBe('t1');
    const timestamp = url.searchParams.get('timestamp')!;
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Date.now());
    const expected = createHmac('sha256', BOT_SECRET).update(`${timestamp}\n${BOT_SECRET}`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(receiver.requests[0]!.url).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it('posts a Feishu text message carrying timestamp and sign in the body', async () => {
    receiver.answerBody = '{"code":0,"msg":"success","data":{}}';
    await start([{ name: 'lark', type: 'alert', format: 'feishu', url: receiver.url, secret: BOT_SECRET }]);
    const before = Math.floor(Date.now() / 1000);
    const eventId = await send(moderationImage('s-lark'));
    await settled(eventId, 'delivered');
    const summary = await summaryOf(eventId);
    const body = bodyOf(0);
    // Feishu: sign = base64(HmacSHA256(key = "timestamp\nsecret", empty message)), timestamp in seconds.
    const timestamp = body.timestamp as string;
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(body).toEqual({
      timestamp,
      sign: createHmac('sha256', `${timestamp}\n${BOT_SECRET}`).update('').digest('base64'),
      msg_type: 'text',
      content: {
        text: [
          'css.moderation.image',
          summary,
          'stream s-lark',
          'label: Block',
          'score: 99',
          `https://img.example.com/s-lark/${counter}.jpg`,
        ].join('\n'),
      },
    });
  });

  it('posts a Slack mrkdwn text and accepts its plain "ok" answer', async () => {
    receiver.answerBody = 'ok';
    await start([{ name: 'slack', type: 'alert', format: 'slack', url: receiver.url }]);
    const eventId = await send(moderationImage('s-slack'));
    await settled(eventId, 'delivered');
    const summary = await summaryOf(eventId);
    expect(bodyOf(0)).toEqual({
      text: [
        '*css.moderation.image*',
        summary,
        'stream s-slack',
        'label: Block',
        'score: 99',
        `<https://img.example.com/s-slack/${counter}.jpg|open>`,
      ].join('\n'),
    });
  });

  it('fails a delivery when the bot answers 200 with an error code, without quoting the secret', async () => {
    receiver.answerBody = '{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc]"}';
    await start([{ name: 'ding', type: 'alert', format: 'dingtalk', url: receiver.url, secret: BOT_SECRET }]);
    const eventId = await send(moderationImage('s-bad'));
    const dead = await settled(eventId, 'dead');
    expect(dead.lastError).toMatch(/^bot error 310000: sign not match/);
    expect(logs).not.toContain(BOT_SECRET);
  });

  it('sends at most one alert per stream per interval; other streams still alert', async () => {
    receiver.answerBody = '{"errcode":0,"errmsg":"ok"}';
    await start([
      { name: 'wecom', type: 'alert', format: 'wecom', url: receiver.url, minIntervalMs: 60_000 },
    ]);
    const deliveries: Delivery[] = [];
    for (const stream of ['s-flap', 's-flap', 's-other', 's-flap']) {
      deliveries.push(await settled(await send(moderationImage(stream)), 'delivered'));
    }
    expect(receiver.requests.map((request) => /> stream (\S+)/.exec(request.body)?.[1])).toEqual([
      's-flap',
      's-other',
    ]);
    expect(deliveries.map((d) => (d.result as { skipped?: string }).skipped ?? 'sent')).toEqual([
      'sent',
      'rate-limited',
      'sent',
      'rate-limited',
    ]);
  });

  it('sends one alert for events of one stream attempted at the same time', async () => {
    receiver.answerBody = '{"errcode":0,"errmsg":"ok"}';
    const { sinks, problems } = parseDispatchSections(
      undefined,
      [{ name: 'wecom', type: 'alert', format: 'wecom', url: receiver.url, minIntervalMs: 60_000 }],
      'test',
    );
    expect(problems).toEqual([]);
    const sink = createAlertSink(sinks[0] as AlertSinkConfig);
    const envelope = (id: string): DeliveryEnvelope => ({
      id,
      type: 'css.moderation.image',
      family: 'css',
      source: 'test',
      dedupeKey: id,
      occurredAt: 0,
      receivedAt: 0,
      subject: { streamId: 's-burst' },
      // Only the fields the alert reads.
      data: { suggestion: 'Block' } as DeliveryEnvelope<'css.moderation.image'>['data'],
      summary: 'image moderation: Block',
      auth: { method: 'css-md5', stale: false },
      payload: {},
    });
    const context = (id: string) => ({ deliveryId: id, attempt: 1, signal: new AbortController().signal });
    // A batch of one stream's deliveries is attempted concurrently (the dispatcher's Promise.all).
    const receipts = await Promise.all(['a', 'b', 'c'].map((id) => sink.deliver(envelope(id), context(id))));
    expect(receiver.requests).toHaveLength(1);
    expect(receipts.map((r) => (r?.result as { skipped?: string }).skipped ?? 'sent').sort()).toEqual([
      'rate-limited',
      'rate-limited',
      'sent',
    ]);
  });

  it('lets the next event alert when the previous alert of its stream failed', async () => {
    receiver.script.push(500);
    receiver.answerBody = '{"errcode":0,"errmsg":"ok"}';
    await start([
      { name: 'wecom', type: 'alert', format: 'wecom', url: receiver.url, minIntervalMs: 60_000 },
    ]);
    await settled(await send(moderationImage('s-retry')), 'dead');
    const second = await settled(await send(moderationImage('s-retry')), 'delivered');
    expect(second.result).toEqual({ sent: true });
    expect(receiver.requests).toHaveLength(2);
  });

  it('calls ForbidLiveStream on the stand-in API host with a TC3-signed request', async () => {
    receiver.answerBody = '{"Response":{"RequestId":"req-forbid-1"}}';
    const port = new URL(receiver.url).port;
    await start([
      {
        name: 'forbid',
        type: 'tencent',
        action: 'ForbidLiveStream',
        dryRun: false,
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        region: 'ap-shanghai',
        endpoint: `127.0.0.1:${port}`,
        protocol: 'http:',
        forbidSeconds: 3600,
        reason: 'moderation: Porn',
      },
    ]);
    const before = Date.now();
    const eventId = await send(moderationImage('s-forbid'));
    const delivery = await settled(eventId, 'delivered');
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const { headers } = request!;
    expect(request!.url).toBe('/');
    expect(headers['x-tc-action']).toBe('ForbidLiveStream');
    expect(headers['x-tc-version']).toBe('2018-08-01');
    expect(headers['x-tc-region']).toBe('ap-shanghai');
    const params = JSON.parse(request!.body) as Record<string, string>;
    expect(params).toEqual({
      StreamName: 's-forbid',
      DomainName: 'push.example.com',
      AppName: 'live',
      ResumeTime: params.ResumeTime,
      Reason: 'moderation: Porn',
    });
    // ResumeTime: UTC ISO 8601 to the second, forbidSeconds after the event was handled.
    expect(params.ResumeTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const resumeAt = Date.parse(params.ResumeTime!);
    expect(resumeAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
    expect(resumeAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // The Authorization is a TC3-HMAC-SHA256 signature by our key, over what was really sent. The SDK takes
    // the scope's service from the host's first label (`live` on the real host, `127` on this stand-in).
    const timestamp = String(headers['x-tc-timestamp']);
    const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
    const authorization = String(headers.authorization);
    const match =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([^/]+)\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    expect(match, authorization).not.toBeNull();
    expect(match![1]).toBe(SECRET_ID);
    expect(match![2]).toBe(date);
    expect(match![3]).toBe('127');
    expect(match![4]).toBe(
      tc3Signature({
        secretKey: SECRET_KEY,
        service: match![3]!,
        date,
        timestamp,
        // Signed without the port: the real host has none, so the two agree there.
        host: new URL(`http://${String(headers.host)}`).hostname,
        contentType: String(headers['content-type']),
        body: request!.body,
      }),
    );
    expect(delivery.result).toEqual({
      action: 'ForbidLiveStream',
      dryRun: false,
      request: params,
      answer: { RequestId: 'req-forbid-1' },
    });
    const answer = await server!.app.inject({
      method: 'GET',
      url: `/api/deliveries?sink=forbid`,
      headers: AUTH,
    });
    expect(answer.body).toContain('req-forbid-1');
    expect(answer.body).not.toContain(SECRET_KEY);
    expect(logs).not.toContain(SECRET_KEY);
  });

  it('calls RemoveUserByStrRoomId on the TRTC API for a TRTC event', async () => {
    receiver.answerBody = '{"Response":{"RequestId":"req-remove-1"}}';
    await start([
      {
        name: 'kick',
        type: 'tencent',
        action: 'RemoveUserByStrRoomId',
        dryRun: false,
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        endpoint: `127.0.0.1:${new URL(receiver.url).port}`,
        protocol: 'http:',
      },
    ]);
    const eventId = await send(trtcRoomEvent());
    const delivery = await settled(eventId, 'delivered');
    const [request] = receiver.requests;
    expect(request!.headers['x-tc-action']).toBe('RemoveUserByStrRoomId');
    expect(request!.headers['x-tc-version']).toBe('2019-07-22');
    expect(request!.headers['x-tc-region']).toBe('ap-guangzhou');
    const params = JSON.parse(request!.body) as { SdkAppId: number; RoomId: string; UserIds: string[] };
    expect(params.RoomId).toBe('lobby-9');
    expect(params.UserIds).toEqual(['user-42']);
    expect(Number.isSafeInteger(params.SdkAppId)).toBe(true);
    expect(delivery.result).toMatchObject({ answer: { RequestId: 'req-remove-1' } });
  });

  it('records a Tencent API error with its code and RequestId, and no secret anywhere', async () => {
    receiver.answerBody =
      '{"Response":{"Error":{"Code":"ResourceNotFound.StreamNotExist","Message":"stream not exist"},"RequestId":"req-err-1"}}';
    await start([
      {
        name: 'drop',
        type: 'tencent',
        action: 'DropLiveStream',
        dryRun: false,
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        endpoint: `127.0.0.1:${new URL(receiver.url).port}`,
        protocol: 'http:',
      },
    ]);
    const eventId = await send(moderationImage('s-gone'));
    const dead = await settled(eventId, 'dead');
    expect(receiver.requests[0]!.headers['x-tc-action']).toBe('DropLiveStream');
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({
      StreamName: 's-gone',
      DomainName: 'push.example.com',
      AppName: 'live',
    });
    expect(dead.lastError).toBe(
      'DropLiveStream failed: ResourceNotFound.StreamNotExist stream not exist (RequestId req-err-1)',
    );
    expect(logs).toContain('delivery failed');
    expect(logs).not.toContain(SECRET_KEY);
    expect(JSON.stringify(dead)).not.toContain(SECRET_KEY);
  });

  it('records the would-be call in dry-run and sends nothing', async () => {
    await start([
      {
        name: 'cut',
        type: 'tencent',
        action: 'DropLiveStream',
        endpoint: `127.0.0.1:${new URL(receiver.url).port}`,
        protocol: 'http:',
      },
    ]);
    const eventId = await send(moderationImage('s-dry'));
    const delivery = await settled(eventId, 'delivered');
    expect(delivery.result).toEqual({
      action: 'DropLiveStream',
      dryRun: true,
      request: { StreamName: 's-dry', DomainName: 'push.example.com', AppName: 'live' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests).toHaveLength(0);
  });
});
