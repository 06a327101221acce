import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redactPath, startServer, type RunningServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, TEST_INGEST_SECRET, testConfig } from './support/test-server.js';

const S = TEST_INGEST_SECRET;
/** `text` with every character percent-encoded. */
const encodeAll = (text: string) =>
  [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
const encodedSecret = encodeAll(S);
const firstEncoded = `%${S.charCodeAt(0).toString(16)}${S.slice(1)}`;

/** Ways of writing a callback URL carrying the secret (or a near miss of it). */
const SPELLINGS = [
  `/callbacks/${S}`,
  `/callbacks/${S}X`,
  `/callbacks/${S}/css`,
  `/callbacks/${S}/nope`,
  `/callbacks/css/${S}`,
  `/%63allbacks/${S}`,
  `/%63allbacks/${S}X`,
  `/%2563allbacks/${S}X`,
  `//callbacks/${S}X`,
  `/callbacks//${S}X`,
  `/./callbacks/./${S}X`,
  `/x/../callbacks/${S}X`,
  `/api/../callbacks/${S}X`,
  `/%2e%2e/callbacks/${S}X`,
  `/CALLBACKS/${S}X`,
  `/Callbacks/${S}/CSS`,
  `/callbacks/${firstEncoded}X`,
  `/callbacks/${encodedSecret}`,
  `/callbacks/${S}%`,
  `/callbacks/${S}%zz`,
  `/callbacks%2F${S}X`,
  `/callbacks%3F${S}`,
  `/callbacks;x/${S}X`,
  `/callbacks/${S}?next=${S}`,
  `/callbacks/${'a'.repeat(300)}${S}`,
  `/hooks/callbacks/${S}X`,
];

/** Everything that must never show the secret, however it was spelt. */
const FORBIDDEN = [S, encodedSecret, firstEncoded, S.slice(1)];

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
  });
}

describeEachDialect('ingest secret redaction', (databases) => {
  let running: RunningServer;
  let port: number;
  const logs: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    const config = testConfig(databases, { host: '127.0.0.1', port: 0, logLevel: 'trace' });
    running = await startServer(config, { logger: pino({ level: 'trace' }, stream), handleSignals: false });
    port = Number(new URL(running.url).port);
  });
  afterAll(() => running?.close());

  it('redacts the secret from paths however they are spelt', () => {
    for (const spelling of SPELLINGS) {
      const redacted = redactPath(spelling);
      for (const forbidden of FORBIDDEN) expect(redacted, spelling).not.toContain(forbidden);
    }
    expect(redactPath(`/%63allbacks/${S}X`)).toBe('/callbacks/***');
    expect(redactPath(`//callbacks/./${S}/CSS`)).toBe('/callbacks/***/css');
    expect(redactPath('/api/events?cursor=x')).toBe('/api/events');
  });

  it('keeps the secret out of answers, rejection records and logs, whatever the spelling', async () => {
    const body = '{"event_type":0}';
    const answers: string[] = [];
    for (const spelling of SPELLINGS) {
      for (const method of ['POST', 'GET', 'PUT']) {
        answers.push(
          await raw(
            port,
            `${method} ${spelling} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
              `Referer: https://example.com${spelling}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
          ),
        );
      }
    }
    expect(answers.filter((answer) => !/^HTTP\/1\.1 \d{3} /.test(answer))).toEqual([]);
    const rejections = await fetch(`${running.apiUrl}/rejections?limit=500`, { headers: AUTH });
    expect(rejections.status).toBe(200);
    const records = await rejections.text();
    expect(records).toContain('/callbacks/***');
    const logged = logs.join('');
    expect(logged).toContain('/callbacks/***');
    for (const forbidden of FORBIDDEN) {
      for (const answer of answers) expect(answer).not.toContain(forbidden);
      expect(records).not.toContain(forbidden);
      expect(logged).not.toContain(forbidden);
    }
  });
});
