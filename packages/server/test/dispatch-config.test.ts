import { describe, expect, it } from 'vitest';
import { compileSinkFilter, ConfigError, loadConfig } from '../src/index.js';

const event = {
  type: 'css.moderation.image',
  subject: { streamId: 'room-7' },
  data: { suggestion: 'Block', score: '95', label: 'Porn' },
};

describe('sink filters', () => {
  it('matches type patterns and field conditions, numbers given as strings included', () => {
    expect(compileSinkFilter({ types: ['css.moderation.*'] })(event)).toBe(true);
    expect(compileSinkFilter({ types: ['trtc.*'] })(event)).toBe(false);
    expect(compileSinkFilter({ where: ['data.suggestion == "Block" && data.score >= 90'] })(event)).toBe(
      true,
    );
    expect(compileSinkFilter({ where: ['data.score > 95'] })(event)).toBe(false);
    expect(compileSinkFilter({ where: ['subject.streamId in ["a", "room-7"]'] })(event)).toBe(true);
    expect(compileSinkFilter({ where: ['subject.streamId not in ["room-7"]'] })(event)).toBe(false);
    expect(compileSinkFilter({ where: ['data.missing == null'] })(event)).toBe(true);
  });

  it('refuses expressions it cannot parse instead of evaluating them', () => {
    expect(() => compileSinkFilter({ where: ['process.exit(1)'] })).toThrow(/must start with/);
    expect(() => compileSinkFilter({ where: ['data.score >= "high"'] })).toThrow(/compares with a number/);
    expect(() => compileSinkFilter({ where: ['data.a == 1 || data.b == 2'] })).toThrow(/unexpected/);
  });
});

describe('sinks configuration', () => {
  const load = (sinks: unknown, dispatch?: unknown) =>
    loadConfig({ env: {}, flags: { sinks, ...(dispatch === undefined ? {} : { dispatch }) } });

  it('fills defaults: a default retry schedule over hours, dry-run Tencent actions', () => {
    const config = load([
      { name: 'hook', type: 'webhook', url: 'https://example.com/h' },
      { name: 'cut', type: 'tencent', action: 'DropLiveStream' },
    ]);
    const [hook, cut] = config.sinks;
    expect(hook!.retry.scheduleMs.reduce((a, b) => a + b, 0)).toBeGreaterThan(3 * 3_600_000);
    expect(cut).toMatchObject({ type: 'tencent', dryRun: true });
    expect(config.dispatch.releaseStale).toBe(false);
  });

  it('reports one line per problem, naming the sink and option, without quoting secrets', () => {
    let problems: readonly string[] = [];
    try {
      load(
        [
          { name: 'hook', type: 'webhook', url: 'ftp://x', secret: 42 },
          { name: 'hook', type: 'redis', filter: { where: ['data.score >= "x"'] } },
          { name: 'bad', type: 'tencent', action: 'Reboot', dryRun: false, secretKey: 'TOPSECRETKEY' },
          { name: 'x', type: 'smtp' },
          { name: 'bus', type: 'nats' },
          { name: 'bus', type: 'nats' },
        ],
        { pollMs: 1 },
      );
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems.join('\n')).not.toContain('TOPSECRETKEY');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/dispatch: pollMs: 1 is not an integer/),
        expect.stringMatching(/sinks\[0\] \("hook"\): url: is not an http\(s\) URL/),
        expect.stringMatching(/sinks\[0\] \("hook"\): secret: .*not shown/),
        expect.stringMatching(/sinks\[1\] \("hook"\): filter: .*compares with a number/),
        expect.stringMatching(/sinks\[5\]: name "bus" is used by another sink/),
        expect.stringMatching(/sinks\[2\] \("bad"\): action: "Reboot" is not one of/),
        expect.stringMatching(/sinks\[2\] \("bad"\): secretKey: secretId and secretKey are required/),
        expect.stringMatching(/sinks\[3\] \("x"\): type: "smtp" is not one of/),
      ]),
    );
  });
});
