import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

/**
 * Retitles the terminal (OSC), clears the screen (CSI 2J), returns and backspaces over the line, opens a C1 CSI
 * (U+009B), rings the bell and reverses what follows (U+202E): all inside one stored stream or user id.
 */
const HOSTILE = 'evil\u001b]0;pwned\u0007\u001b[2J\r\b\u009b31m\u0085\u202eexe.txt';
/** How human output shows {@link HOSTILE}. */
const SHOWN = 'evil\\x1b]0;pwned\\x07\\x1b[2J\\r\\x08\\x9b31m\\x85\\u202eexe.txt';
/** A character a terminal acts on instead of printing it; a line feed ends each printed line. */
const ACTIVE = /[^\P{Cc}\n]|[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

let gateway: TestGateway;

function trigger(type: string, set: string): Promise<unknown> {
  return runCli(['trigger', type, '--url', gateway.callbackUrl, '--set', set]).then((result) => {
    expect(result.code).toBe(0);
  });
}

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
  await trigger('css.screenshot', `stream_id=${HOSTILE}`);
  await trigger('trtc.room.entered', `EventInfo.UserId=${HOSTILE}`);
}, 180_000);
afterAll(async () => {
  await gateway.close();
});

describe('human output of stored text', () => {
  it('events list shows the control characters of stream ids, user ids and summaries escaped', async () => {
    const result = await runCli(['events', 'list', ...gateway.apiArgs]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ACTIVE);
    const [trtc, css] = result.stdout.trim().split('\n');
    expect(trtc).toContain(`user=${SHOWN}`);
    expect(css).toContain(`stream=${SHOWN}`);
    expect(css).toContain(`stream ${SHOWN} screenshot`);
  });

  it('events list --json keeps the values, escaped as JSON', async () => {
    const result = await runCli(['events', 'list', ...gateway.apiArgs, '--json']);
    expect(result.stdout).not.toMatch(ACTIVE);
    const { items } = JSON.parse(result.stdout) as {
      items: { subject: { streamId?: string; userId?: string } }[];
    };
    expect(items.map((event) => event.subject.userId ?? event.subject.streamId)).toEqual([HOSTILE, HOSTILE]);
  });

  it('events show escapes the subject, payload, headers and raw body', async () => {
    const list = JSON.parse((await runCli(['events', 'list', ...gateway.apiArgs, '--json'])).stdout) as {
      items: { id: string }[];
    };
    for (const { id } of list.items) {
      const shown = await runCli(['events', 'show', id, ...gateway.apiArgs]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).not.toMatch(ACTIVE);
      expect(shown.stdout).toContain(SHOWN);
      const json = await runCli(['events', 'show', id, ...gateway.apiArgs, '--json']);
      expect(json.stdout).not.toMatch(ACTIVE);
      expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    }
  });

  it('tail shows them escaped, and --json keeps the values', async () => {
    const tail = startCli(['tail', ...gateway.apiArgs, '--limit', '2']);
    const json = startCli(['tail', ...gateway.apiArgs, '--limit', '2', '--json']);
    await tail.waitFor(/following/, { stream: 'stderr' });
    await json.waitFor(/following/, { stream: 'stderr' });
    await trigger('css.screenshot', `stream_id=${HOSTILE}`);
    await trigger('trtc.room.entered', `EventInfo.UserId=${HOSTILE}`);
    expect(await tail.exited()).toBe(0);
    expect(await json.exited()).toBe(0);
    expect(tail.stdout()).not.toMatch(ACTIVE);
    const [css, trtc] = tail.stdout().trim().split('\n');
    expect(css).toContain(`stream=${SHOWN}  stream ${SHOWN} screenshot`);
    expect(trtc).toContain(`user=${SHOWN}`);
    expect(json.stdout()).not.toMatch(ACTIVE);
    const events = json
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { subject: { streamId?: string; userId?: string } });
    expect(events.map((event) => event.subject.streamId ?? event.subject.userId)).toEqual([HOSTILE, HOSTILE]);
  });
});
