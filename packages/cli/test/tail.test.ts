import { rmSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli, type CliProcess } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

const gateways: TestGateway[] = [];
const processes: CliProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.stop('SIGKILL')));
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function gatewayFor(options: Parameters<typeof startGateway>[1] = {}): Promise<TestGateway> {
  const gateway = await startGateway({}, options);
  gateways.push(gateway);
  return gateway;
}

function trigger(gateway: TestGateway, type: string, ...set: string[]) {
  return runCli(['trigger', type, '--url', gateway.callbackUrl, ...set.flatMap((s) => ['--set', s])]);
}

describe('livehooks tail', () => {
  it('prints one readable line per new event, filtered by type', async () => {
    const gateway = await gatewayFor();
    const tail = startCli(['tail', ...gateway.apiArgs, '--type', 'css.screenshot']);
    processes.push(tail);
    await tail.waitFor(/following/, { stream: 'stderr' });

    await trigger(gateway, 'trtc.room.created');
    await trigger(gateway, 'css.screenshot', 'stream_id=tail-one');
    const [line] = await tail.waitFor(/^.*css\.screenshot.*$/m);
    expect(line).toMatch(
      /^[0-9a-f]{8}-[0-9a-f-]{27} {2}\d\d:\d\d:\d\d\.\d{3} {2}css\.screenshot {2}stream=tail-one {2}stream tail-one screenshot 640x352/,
    );
    expect(tail.stdout()).not.toContain('trtc.room.created');
    expect(await tail.stop('SIGINT')).toBe(0);
  });

  it('prints NDJSON with --json and stops after --limit events', async () => {
    const gateway = await gatewayFor();
    const tail = startCli(['tail', ...gateway.apiArgs, '--stream', 'tail-json', '--json', '--limit', '2']);
    processes.push(tail);
    await tail.waitFor(/following/, { stream: 'stderr' });
    await trigger(gateway, 'css.screenshot', 'stream_id=tail-other');
    await trigger(gateway, 'css.screenshot', 'stream_id=tail-json');
    await trigger(gateway, 'css.screenshot', 'stream_id=tail-json');
    expect(await tail.exited()).toBe(0);
    const events = tail
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; subject: { streamId: string } });
    expect(events.map((event) => event.subject.streamId)).toEqual(['tail-json', 'tail-json']);
  });

  it('resumes after the gateway restarts and prints what it missed, with Last-Event-ID', async () => {
    const first = await startGateway();
    dirs.push(first.dataDir);
    const port = Number(new URL(first.url).port);
    const tail = startCli(['tail', ...first.apiArgs, '--json']);
    processes.push(tail);
    await tail.waitFor(/following/, { stream: 'stderr' });
    await trigger(first, 'css.screenshot', 'stream_id=before-restart');
    await tail.waitFor(/before-restart/);

    await first.running.close();
    await tail.waitFor(/resuming|connection lost/, { stream: 'stderr' });
    const second = await gatewayFor({ dataDir: first.dataDir, port });
    // Stored while the tail is still waiting to reconnect: it must arrive from the backlog.
    await trigger(second, 'css.screenshot', 'stream_id=while-away');
    await tail.waitFor(/while-away/, { timeoutMs: 20_000 });
    await trigger(second, 'css.screenshot', 'stream_id=after-resume');
    await tail.waitFor(/after-resume/);

    const streams = tail
      .stdout()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { subject: { streamId: string } }).subject.streamId);
    expect(streams).toEqual(['before-restart', 'while-away', 'after-resume']);
    expect(tail.stderr()).toContain('reconnected');
  }, 60_000);

  it('exits 2 for an unknown type, with the nearest known types, before following', async () => {
    const result = await runCli(['tail', '--type', 'css.nope', '--server', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown event type "css\.nope"; did you mean css\.\w+/);
  });

  it('filters by room, task and user, which the live tail does not', async () => {
    const gateway = await gatewayFor();
    const tail = startCli([
      'tail',
      ...gateway.apiArgs,
      '--room',
      'tail-room',
      '--user',
      'tail-user',
      '-n',
      '1',
    ]);
    processes.push(tail);
    await tail.waitFor(/following/, { stream: 'stderr' });
    await trigger(
      gateway,
      'trtc.room.entered',
      'EventInfo.RoomId=tail-room',
      'EventInfo.UserId=someone-else',
    );
    await trigger(gateway, 'trtc.room.entered', 'EventInfo.RoomId=other-room', 'EventInfo.UserId=tail-user');
    await trigger(gateway, 'trtc.room.entered', 'EventInfo.RoomId=tail-room', 'EventInfo.UserId=tail-user');
    expect(await tail.exited()).toBe(0);
    expect(tail.stdout().trim().split('\n')).toHaveLength(1);
    expect(tail.stdout()).toContain('room=tail-room');
    expect(tail.stdout()).toContain('user=tail-user');
    const task = startCli(['tail', ...gateway.apiArgs, '--task', 'no-such-task', '-n', '1']);
    processes.push(task);
    await task.waitFor(/following/, { stream: 'stderr' });
    await trigger(gateway, 'trtc.room.entered', 'EventInfo.RoomId=tail-room');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(task.stdout()).toBe('');
  });

  it('follows a type pattern', async () => {
    const gateway = await gatewayFor();
    const tail = startCli(['tail', ...gateway.apiArgs, '--type', 'css.*', '--limit', '1']);
    processes.push(tail);
    await tail.waitFor(/following/, { stream: 'stderr' });
    await trigger(gateway, 'css.screenshot', 'stream_id=tail-pattern');
    expect(await tail.exited()).toBe(0);
    expect(tail.stdout()).toContain('stream=tail-pattern');
  });

  it('exits 6 when the token is refused, and 5 when no gateway answers', async () => {
    const gateway = await gatewayFor();
    const refused = await runCli(['tail', '--server', gateway.url, '--token', 'wrong-token-wrong-token']);
    expect(refused.code).toBe(6);
    const unreachable = await runCli([
      'tail',
      '--server',
      'http://127.0.0.1:9',
      '--token',
      'wrong-token-wrong-token',
    ]);
    expect(unreachable.code).toBe(5);
  });
});
