import { freshSample } from '@livehooks/fixtures';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type LivehooksServer } from '../src/index.js';
import type { AlertFormat } from '../src/dispatch/dispatch-config.js';
import { alertHref, alertMarkup } from '../src/dispatch/sinks/alert-markup.js';
import { describeEachDialect } from './support/databases.js';
import { eventually, startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { testConfig, TEST_INGEST_SECRET } from './support/test-server.js';

const FORMATS: readonly AlertFormat[] = ['wecom', 'dingtalk', 'feishu', 'slack'];
/** What each bot answers on success. */
const ANSWERS: Record<AlertFormat, string> = {
  wecom: '{"errcode":0,"errmsg":"ok"}',
  dingtalk: '{"errcode":0,"errmsg":"ok"}',
  feishu: '{"code":0,"msg":"success","data":{}}',
  slack: 'ok',
};
const IMAGE = 'https://img.example.com/shot/1.jpg';

/**
 * Hostile callback text, one row per attack. Each value sits between the tokens `b<i>b` and `e<i>e`, so a
 * test finds the row of a message and sees whether the value stayed on one line. `readable` must survive.
 */
const ATTACKS: { attack: string; text: string; readable: string[]; image?: string }[] = [
  { attack: 'Slack channel mention', text: '<!channel> ping', readable: ['channel', 'ping'] },
  { attack: 'Slack here mention with label', text: '<!here|here> ping', readable: ['here', 'ping'] },
  { attack: 'Slack user mention', text: '<@U123ABC> ping', readable: ['U123ABC'] },
  { attack: 'WeCom mention tag', text: '<@all> 注意', readable: ['all', '注意'] },
  { attack: 'plain @all', text: '@all ping', readable: ['all', 'ping'] },
  { attack: 'DingTalk @所有人', text: '@所有人 紧急', readable: ['所有人', '紧急'] },
  {
    attack: 'Feishu at tag',
    text: '<at user_id="all">所有人</at> <at id=all></at>',
    readable: ['所有人', 'user_id'],
  },
  {
    attack: 'markdown link',
    text: '[click me](http://evil.example/a)',
    readable: ['click me', 'evil.example'],
  },
  { attack: 'markdown image', text: '![x](http://evil.example/i.png)', readable: ['evil.example/i.png'] },
  { attack: 'Slack link', text: '<http://evil.example|click>', readable: ['evil.example', 'click'] },
  {
    attack: 'HTML tags',
    text: '<font color="warning">red</font><a href="http://evil.example">y</a><img src=x>',
    readable: ['red', 'evil.example'],
  },
  {
    attack: 'HTML entities of a mention',
    text: '&lt;!channel&gt; &#60;@all&#62;',
    readable: ['channel', 'all'],
  },
  {
    attack: 'newlines leaving the quote or list item',
    text: 'quiet\n\n# fake heading\r\n> **fake** [y](http://evil.example)',
    readable: ['quiet', 'fake heading'],
  },
  { attack: 'newline leaving inline code', text: '`tick`\n`b` ```\ncode', readable: ['tick', 'code'] },
  {
    attack: 'control, separator and bidi characters',
    text: 'tab\there\u2028line\u2029para\u0085nel\u0000nul\u001b[31mred\u202Edesrever',
    readable: ['tab', 'line', 'para', 'nul', 'red', 'desrever'],
  },
  {
    attack: 'image link leaving its destination',
    text: 'link row',
    readable: ['link row'],
    image: 'https://img.example.com/a)![x](http://evil.example/i.png)<@all>|x',
  },
];

let unknownTime = Date.now();

/** The callbacks carrying `text` in every field a streamer or a TRTC client controls. */
function hostileCallbacks(text: string, image = IMAGE): { body: string; headers: Record<string, string> }[] {
  return [
    freshSample('css.moderation.image', {
      overrides: {
        stream_id: text,
        streamname: text,
        streamId: text,
        channelId: text,
        img: image,
        label: text,
        socre: 99,
      },
    }),
    freshSample('trtc.moderation.result', {
      sample: 'doc-sample-audio',
      overrides: {
        'EventInfo.RoomId': text,
        'EventInfo.UserId': text,
        'EventInfo.StreamerUserId': text,
        'EventInfo.Payload.Label': text,
        'EventInfo.Payload.AudioText': text,
      },
    }),
    freshSample('css.monitor.asr', {
      overrides: {
        stream_id: text,
        event_msg: `stream [ ${text} ] callback message: {StartPtsTime:1, EndPtsTime:2, Text:${text}}`,
      },
    }),
    // An unknown CSS event type: stored as css.unknown, its fields read as they came.
    {
      body: JSON.stringify({ event_type: 999, stream_id: text, label: text, event_time: ++unknownTime }),
      headers: { 'content-type': 'application/json' },
    },
  ];
}

/**
 * A row's token as a word of its own: random ids in a message (a task id, an audio URL) are alphanumeric and
 * may contain `b8b` inside them.
 */
function marker(token: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${token}(?![A-Za-z0-9])`, 'g');
}

/** The message text a person reads, from a bot body in each format. */
function messageOf(format: AlertFormat, body: Record<string, unknown>): string {
  const get = (path: string): string => {
    let value: unknown = body;
    for (const key of path.split('.')) value = (value as Record<string, unknown>)[key];
    expect(typeof value, `${format} ${path}`).toBe('string');
    return value as string;
  };
  switch (format) {
    case 'wecom':
      return get('markdown.content');
    case 'dingtalk':
      return `${get('markdown.title')}\n${get('markdown.text')}`;
    case 'feishu':
      return get('content.text');
    case 'slack':
      return get('text');
  }
}

/** The link livehooks itself writes at the end of a message in each format (to the image or audio). */
const OWN_LINKS: Record<AlertFormat, RegExp> = {
  wecom: /\n\[open\]\(([^()\s]+)\)$/,
  dingtalk: /\n\n!\[image\]\(([^()\s]+)\)\n\n\[open\]\(\1\)$/,
  feishu: /\n(https?:\/\/\S+)$/,
  slack: /\n<([^<>|\s]+)\|open>$/,
};

describeEachDialect('alert messages with hostile callback text', (databases) => {
  const receivers = {} as Record<AlertFormat, TestReceiver>;
  let server: LivehooksServer | undefined;

  beforeAll(async () => {
    for (const format of FORMATS) {
      receivers[format] = await startTestReceiver();
      receivers[format].answerBody = ANSWERS[format];
    }
  });
  afterAll(async () => {
    for (const format of FORMATS) await receivers[format].close();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const format of FORMATS) receivers[format].requests.length = 0;
  });

  /** Sends the callbacks through the path-secret endpoint (unsigned CSS events too) and returns each format's delivered bodies. */
  const deliver = async (
    callbacks: { body: string; headers: Record<string, string> }[],
  ): Promise<Record<AlertFormat, Record<string, unknown>[]>> => {
    server = await createServer({
      config: testConfig(databases, {
        sinks: FORMATS.map((format) => ({
          name: format,
          type: 'alert',
          format,
          url: receivers[format].url,
          minIntervalMs: 0,
          concurrency: 8,
        })),
        dispatch: { pollMs: 20, retry: { scheduleMs: [], jitter: 0 } },
      }),
    });
    for (const callback of callbacks) {
      const response = await server.app.inject({
        method: 'POST',
        url: `/callbacks/${TEST_INGEST_SECRET}`,
        payload: callback.body,
        headers: callback.headers,
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    await eventually(
      () => FORMATS.every((format) => receivers[format].requests.length >= callbacks.length) || undefined,
      20_000,
    );
    const dead = await server.dispatch.deliveries.list({ status: 'dead', limit: 10 });
    expect(dead.items.map((delivery) => delivery.lastError)).toEqual([]);
    return Object.fromEntries(
      FORMATS.map((format) => [
        format,
        receivers[format].requests.map((request) => JSON.parse(request.body) as Record<string, unknown>),
      ]),
    ) as Record<AlertFormat, Record<string, unknown>[]>;
  };

  it('delivers no live mention, no markup and no line break from callback fields, and keeps their text', async () => {
    const rows = ATTACKS.map((row, index) => ({ ...row, value: `b${index}b ${row.text} e${index}e` }));
    const bodies = await deliver(rows.flatMap((row) => hostileCallbacks(row.value, row.image)));
    for (const format of FORMATS) {
      expect(bodies[format]).toHaveLength(rows.length * hostileCallbacks('').length);
      for (const body of bodies[format]) {
        const message = messageOf(format, body);
        const index = rows.findIndex((_, i) => marker(`b${i}b`).test(message));
        const row = rows[index]!;
        const where = `${format}, ${row.attack}: ${message}`;
        if (format === 'dingtalk') expect(Object.keys(body).sort(), where).toEqual(['markdown', 'msgtype']);

        // The image or audio link is livehooks' own markup: it stays, with a destination the callback cannot leave.
        const own = OWN_LINKS[format].exec(message);
        const facts = own === null ? message : message.slice(0, own.index);
        // WeCom quotes each fact line with a leading `> `.
        const text = format === 'wecom' ? facts.replace(/^> /gm, '') : facts;
        if (own !== null) {
          const link = new URL(format === 'slack' ? own[1]!.replaceAll('&amp;', '&') : own[1]!);
          expect(['img.example.com', 'x.xx.com'], where).toContain(link.host);
          expect(own[1], where).not.toMatch(/[()<>[\]|@"`\s]/);
        }

        // No mention, tag, link or image markup, no entity a renderer could decode into one.
        expect(text, where).not.toMatch(/[<>[\]@`]/);
        if (format === 'slack') expect(text, where).not.toMatch(/&(?!amp;|lt;|gt;)/);
        else expect(text, where).not.toContain('&');
        // No control character; every line that opens a field value also closes it.
        expect(text.replaceAll('\n', ''), where).not.toMatch(
          /[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u,
        );
        for (const line of text.split('\n')) {
          // A value may end a line only where a summary clipped it.
          const open =
            (line.match(marker(`b${index}b`)) ?? []).length - (line.match(marker(`e${index}e`)) ?? []).length;
          expect(open === 0 || (open === 1 && line.endsWith('…')), `${where}\nline: ${line}`).toBe(true);
        }
        for (const readable of row.readable) expect(text, where).toContain(readable);
      }
    }
  });

  it('truncates a long field and keeps the message short', async () => {
    const bodies = await deliver(hostileCallbacks(`long ${'x'.repeat(240)}`));
    for (const format of FORMATS) {
      for (const body of bodies[format]) {
        const message = messageOf(format, body);
        expect(message, format).toContain('long xxx');
        for (const line of message.split('\n'))
          expect(line.length, `${format}: ${line}`).toBeLessThanOrEqual(300);
      }
    }
  });
});

describe('alertMarkup', () => {
  it('turns any text into one line of at most the given length with no markup character', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMATS),
        fc.string({ unit: 'binary', maxLength: 300 }),
        (format, value) => {
          const text = alertMarkup[format].text(value, 50);
          const readable = format === 'slack' ? text.replace(/&(amp|lt|gt);/g, '_') : text;
          expect(Array.from(readable).length).toBeLessThanOrEqual(50);
          expect(readable).not.toMatch(/[<>&[\]`@\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u);
        },
      ),
    );
  });

  it('links only to http(s) URLs, with nothing that closes a link destination', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()),
        (value) => {
          const href = alertHref(`${value})](<|> "@`);
          if (href === undefined) return;
          expect(new URL(href).protocol).toMatch(/^https?:$/);
          expect(href).not.toMatch(/[()<>[\]|@"`\s]/);
        },
      ),
    );
    expect(alertHref('javascript:alert(1)')).toBeUndefined();
    expect(alertHref('https://user:pass@img.example.com/a.jpg')).toBeUndefined();
  });
});
