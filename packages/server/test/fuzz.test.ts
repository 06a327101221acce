import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { streamEvent } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { fuzzCases, stalledCases, type FuzzCase } from './support/fuzz-cases.js';
import { createHttpSender, sendRawBytes, type FuzzAnswer, type FuzzExchange } from './support/fuzz-client.js';
import { expectAnswer, type Expectation } from './support/fuzz-oracle.js';
import { AUTH, createTestServer } from './support/test-server.js';

/** Cases per dialect; CI runs the default on both dialects (10 000 in all). */
const RUNS = Number(process.env.LIVEHOOKS_FUZZ_RUNS ?? 5000);
/** The seed, printed with every run; set it to replay a failure. */
const SEED = Number(process.env.LIVEHOOKS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MAX_BODY_BYTES = 1024 * 1024;
/** Requests sent at once: group commits batch them as they do under real load. */
const BATCH = 8;
/** The gateway's default request timeout (docs/configuration.md): a stalled request is closed by then. */
const REQUEST_TIMEOUT_MS = 4000;

/** The lowest UUIDv7 of a millisecond: rejection ids sort by the time they were made. */
function idFloor(ms: number): string {
  const hex = Math.max(0, ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

interface RecordRow {
  id: string;
  reason: string;
  status: number;
  caseId: string | undefined;
}

/** Why an answer is not one the model allows, or undefined. */
function answerProblem(answer: FuzzAnswer, expectation: Expectation, method: string): string | undefined {
  if (answer.status >= 500) return `a ${answer.status}: no 5xx while the store is up`;
  const codes = expectation.allowed.get(answer.status);
  if (codes === undefined)
    return `status ${answer.status} is not one of ${[...expectation.allowed.keys()].join(', ')}`;
  if (method === 'HEAD') return undefined;
  const text = answer.body.toString('utf8');
  if (answer.status === 200) return text === '{"code":0}' ? undefined : `200 with body ${text.slice(0, 200)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `refusal body is not JSON: ${text.slice(0, 200)}`;
  }
  const { code, error } = (body ?? {}) as { code?: unknown; error?: unknown };
  if (typeof code !== 'string' || !code.startsWith('LH_ERR_') || typeof error !== 'string') {
    return `refusal body is not { code, error }: ${text.slice(0, 200)}`;
  }
  if (!/^application\/json/.test(answer.headers['content-type'] ?? '')) {
    return `refusal content type ${String(answer.headers['content-type'])}`;
  }
  if (codes !== '*' && !codes.has(code))
    return `code ${code} for ${answer.status}; allowed: ${[...codes].join(', ')}`;
  return undefined;
}

/** The answers a case may get, and whether its refusal must be recorded, given how its bytes are framed. */
function expectationOf(
  fuzzCase: FuzzCase,
): Expectation & { answered: 'one' | 'some' | 'any'; loose?: boolean } {
  const model = expectAnswer(fuzzCase.request, { maxBodyBytes: MAX_BODY_BYTES });
  const framing = fuzzCase.raw?.framing ?? 'exact';
  const httpRefusal = (statuses: number[]) => {
    const allowed = new Map(model.allowed);
    for (const status of statuses) allowed.set(status, '*');
    return allowed;
  };
  switch (framing) {
    case 'exact':
      return { ...model, answered: 'one' };
    case 'short':
      // The bytes past Content-Length read as a second, malformed request: Node may answer that one with a 400
      // and close before the first request's answer is written, so only its record tells what happened to it.
      return { ...model, allowed: httpRefusal([400]), recorded: 'maybe', answered: 'some', loose: true };
    case 'unfinished':
      return {
        allowed: httpRefusal([400, 408]),
        recorded: 'maybe',
        reasons: ['body never finished'],
        answered: 'any',
      };
    case 'broken':
      return {
        allowed: httpRefusal([400]),
        recorded: 'maybe',
        reasons: ['framing the parser refuses'],
        answered: 'any',
      };
    case 'oversized-head':
      return {
        allowed: new Map([[431, '*']]),
        recorded: false,
        reasons: ['headers over 16 KiB'],
        answered: 'one',
      };
    case 'head-near-limit':
      return { ...model, allowed: httpRefusal([431]), recorded: 'maybe', answered: 'one' };
    case 'no-answer-allowed':
      return { allowed: httpRefusal([400]), recorded: 'maybe', reasons: ['CONNECT'], answered: 'any' };
  }
}

describeEachDialect('fuzzed hostile requests', (databases) => {
  let server: LivehooksServer;
  let port: number;
  let sender: ReturnType<typeof createHttpSender>;
  const seen = new Set<string>();
  /** Cases whose records may arrive after their exchange (the sender hung up), by case id. */
  const lenient = new Set<string>();
  let caseCounter = 0;
  let lastCheck = Date.now();
  const tally = { cases: 0, accepted: 0, refused: 0, recorded: 0, raw: 0 };

  beforeAll(async () => {
    server = await createTestServer(databases, {
      maxBodyBytes: MAX_BODY_BYTES,
      // Every refusal of the run stays countable.
      retention: { rejectionMaxRows: 1_000_000 },
    });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as AddressInfo).port;
    sender = createHttpSender(port);
  });
  afterAll(async () => {
    sender.close();
    await server.close();
  });

  async function send(fuzzCase: FuzzCase, caseId: string): Promise<FuzzExchange> {
    const { request, raw } = fuzzCase;
    if (raw === undefined) {
      // node:http frames a GET/DELETE/OPTIONS body only when told its length.
      const length: [string, string][] =
        request.body.byteLength > 0 ? [['content-length', String(request.body.byteLength)]] : [];
      return sender.send(
        request.method,
        request.path,
        [['x-fuzz-case', caseId], ['host', `127.0.0.1:${port}`], ...fuzzCase.headers, ...length],
        request.body,
      );
    }
    const head = Buffer.isBuffer(raw.head) ? raw.head : Buffer.from(raw.head, 'latin1');
    const lineEnd = head.indexOf('\r\n');
    const firstLine = lineEnd === -1 ? head : head.subarray(0, lineEnd);
    const rest = lineEnd === -1 ? Buffer.alloc(0) : head.subarray(lineEnd);
    return sendRawBytes(
      port,
      Buffer.concat([
        firstLine,
        Buffer.from(`\r\nx-fuzz-case: ${caseId}\r\nhost: 127.0.0.1:${port}`),
        rest,
        Buffer.from('\r\n\r\n'),
        raw.tail,
      ]),
      { halfClose: raw.halfClose },
    );
  }

  /** Rejection records made since the last look, each with the case id its request carried. */
  async function newRecords(): Promise<RecordRow[]> {
    const rows = await server.store.db
      .selectFrom('rejections')
      .select(['id', 'reason', 'status', 'headers'])
      .where('id', '>=', idFloor(lastCheck - 2000))
      .execute();
    const out: RecordRow[] = [];
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const headers = JSON.parse(row.headers) as Record<string, string>;
      out.push({
        id: row.id,
        reason: row.reason,
        status: Number(row.status),
        caseId: headers['x-fuzz-case'],
      });
    }
    return out;
  }

  /** Why one case's answers and records are not what the model allows; empty when they are. */
  function caseProblems(fuzzCase: FuzzCase, exchange: FuzzExchange, mine: RecordRow[]): string[] {
    const expectation = expectationOf(fuzzCase);
    const problems: string[] = [];
    const { answers } = exchange;
    if (expectation.answered === 'one' && answers.length !== 1) {
      problems.push(`${answers.length} answers (${exchange.failure ?? 'closed'}); expected one`);
    }
    if (expectation.answered === 'some' && answers.length === 0) {
      problems.push(`no answer (${exchange.failure ?? 'closed'})`);
    }
    answers.forEach((answer, index) => {
      const allowed = index === 0 ? expectation : { ...expectation, allowed: new Map([[400, '*' as const]]) };
      const problem = answerProblem(answer, allowed, fuzzCase.request.method);
      if (problem !== undefined) problems.push(`answer ${index + 1}: ${problem}`);
    });
    const first = answers[0];
    const refused = first !== undefined && first.status !== 200;
    let code: string | undefined;
    try {
      code = refused ? (JSON.parse(first.body.toString('utf8')) as { code?: string }).code : undefined;
    } catch {
      code = undefined;
    }
    const matches = (record: RecordRow) => record.status === first?.status && record.reason === code;
    if (expectation.recorded === true) {
      if (refused && (mine.length !== 1 || !matches(mine[0]!))) {
        problems.push(`refusal ${first.status} ${code} recorded as ${JSON.stringify(mine)}`);
      }
      if (!refused && mine.length > 0)
        problems.push(`records for an accepted request: ${JSON.stringify(mine)}`);
    } else if (expectation.recorded === false && mine.length > 0) {
      problems.push(`records for a request that never reached ingest: ${JSON.stringify(mine)}`);
    } else if (
      mine.length > 1 ||
      (mine.length === 1 && first !== undefined && expectation.loose !== true && !matches(mine[0]!))
    ) {
      problems.push(`records ${JSON.stringify(mine)} do not match the answer ${first?.status} ${code}`);
    }
    tally.cases++;
    if (fuzzCase.raw !== undefined) tally.raw++;
    if (first?.status === 200) tally.accepted++;
    if (refused) tally.refused++;
    tally.recorded += mine.length;
    if (problems.length === 0) return [];
    const answered = answers.map(
      (answer) => `${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`,
    );
    return [
      `${fuzzCase.label.slice(0, 200)}: ${problems.join('; ')}`,
      `  answers: ${JSON.stringify(answered)}`,
      `  model: ${[...expectation.allowed.keys()].join('/')} because ${expectation.reasons.join('; ') || 'genuine'}`,
    ];
  }

  /** Sends a batch of cases at once (so group commits batch them, as under real load) and checks each. */
  async function check(cases: FuzzCase[]): Promise<void> {
    const started = Date.now();
    const ids = cases.map(() => String(++caseCounter));
    const exchanges = await Promise.all(cases.map((fuzzCase, i) => send(fuzzCase, ids[i]!)));
    cases.forEach((fuzzCase, i) => {
      // A sender that broke the framing may be answered (or cut off) before its refusal is committed.
      if (fuzzCase.raw !== undefined && !['exact', 'head-near-limit'].includes(fuzzCase.raw.framing)) {
        lenient.add(ids[i]!);
      }
    });
    const records = await newRecords();
    lastCheck = started;
    const problems: string[] = [];
    const strays = records.filter(
      (record) => !ids.includes(record.caseId ?? '') && !lenient.has(record.caseId ?? ''),
    );
    if (strays.length > 0) problems.push(`records of no request in this batch: ${JSON.stringify(strays)}`);
    cases.forEach((fuzzCase, i) => {
      const mine = records.filter((record) => record.caseId === ids[i]);
      problems.push(...caseProblems(fuzzCase, exchanges[i]!, mine));
    });
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  it(`answers every hostile request as DESIGN's table allows, records every refusal, and keeps serving (${RUNS} cases)`, async () => {
    const started = Date.now();
    try {
      const batches = fc.array(fuzzCases(MAX_BODY_BYTES), { minLength: BATCH, maxLength: BATCH });
      await fc.assert(fc.asyncProperty(batches, check), {
        numRuns: Math.ceil(RUNS / BATCH),
        seed: SEED,
        verbose: fc.VerbosityLevel.Verbose,
      });
    } finally {
      console.log(
        `fuzz [${databases.dialect}]: ${tally.cases} requests (${tally.raw} over raw sockets; ${tally.accepted} accepted, ${tally.refused} refused, ${tally.recorded} recorded) in ${Date.now() - started} ms, seed ${SEED} (replay: LIVEHOOKS_FUZZ_SEED=${SEED})`,
      );
    }
  }, 240_000);

  it('answers or closes a request that stalls mid-way within the request timeout', async () => {
    const batches = fc.array(stalledCases, { minLength: BATCH, maxLength: BATCH });
    await fc.assert(
      fc.asyncProperty(batches, async (cases) => {
        const exchanges = await Promise.all(
          cases.map((stalled) =>
            sendRawBytes(port, stalled.bytes, { halfClose: false, timeoutMs: REQUEST_TIMEOUT_MS + 3000 }),
          ),
        );
        const problems = exchanges.flatMap((exchange, i) => {
          const label = cases[i]!.label;
          if (exchange.failure === 'timed out') return [`${label}: still open past the request timeout`];
          return exchange.answers.flatMap((answer) => {
            const allowed = new Map<number, '*'>([
              [408, '*'],
              [400, '*'],
            ]);
            const problem = answerProblem(answer, { allowed, recorded: 'maybe', reasons: [] }, 'POST');
            return problem === undefined ? [] : [`${label}: ${problem}`];
          });
        });
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      // Each attempt waits out the timeout: report the first failing batch instead of shrinking it.
      { numRuns: 2, seed: SEED, verbose: fc.VerbosityLevel.Verbose, endOnFailure: true },
    );
  }, 60_000);

  it('keeps every rejection record accounted for, stays up, and stores and projects a genuine callback', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await newRecords();
    const stats = await fetch(`http://127.0.0.1:${port}/api/stats`, { headers: AUTH });
    expect(stats.status).toBe(200);
    const { totals } = (await stats.json()) as { totals: { rejections: number } };
    expect(totals.rejections).toBe(seen.size);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const streamId = `fuzz-after-${databases.dialect}-${SEED}`;
    const callback = streamEvent('push', streamId, '1', Math.floor(Date.now() / 1000));
    const answer = await fetch(`http://127.0.0.1:${port}/callbacks`, {
      method: 'POST',
      body: callback.body,
      headers: callback.headers,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ code: 0 });
    const events = await fetch(`http://127.0.0.1:${port}/api/events?stream_id=${streamId}`, {
      headers: AUTH,
    });
    const { items } = (await events.json()) as { items: { type: string }[] };
    expect(items.map((item) => item.type)).toEqual(['css.stream.push']);
    await expect
      .poll(
        async () => {
          const streams = await fetch(`http://127.0.0.1:${port}/api/streams?q=${streamId}`, {
            headers: AUTH,
          });
          const page = (await streams.json()) as { items: { streamId: string; status: string }[] };
          return page.items.map((stream) => `${stream.streamId}:${stream.status}`);
        },
        { timeout: 10_000 },
      )
      .toEqual([`${streamId}:live`]);
  });
});
