import { catalog, isLivehooksError } from '@livehooks/core';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../src/config/config-reference.js';
import { createSink } from '../src/dispatch/create-dispatch.js';
import { sinkDefinitions } from '../src/dispatch/sinks/index.js';
import { compileSinkFilter, ConfigError, loadConfig } from '../src/index.js';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

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

  it("reads types in the receiver's grammar: a catalog type, a prefix and .*, or *", () => {
    expect(compileSinkFilter({ types: ['css.moderation.image'] })(event)).toBe(true);
    expect(compileSinkFilter({ types: ['*'] })(event)).toBe(true);
    expect(compileSinkFilter({ types: ['css.moderation.audio', 'trtc.moderation.*'] })(event)).toBe(false);
    expect(compileSinkFilter({ types: ['css.*'] })({ ...event, type: 'css.unknown' })).toBe(true);
  });

  it('refuses a type that matches no catalog type instead of never matching it', () => {
    for (const types of [['css.porn'], ['css.moderation.*', 'css.*.image'], ['css.moderation']]) {
      let caught: unknown;
      try {
        compileSinkFilter({ types });
      } catch (error) {
        caught = error;
      }
      expect(isLivehooksError(caught, 'LH_ERR_INVALID_CONFIG'), types.join()).toBe(true);
      expect((caught as Error).message).toContain(
        `types[${types.length - 1}] ${JSON.stringify(types.at(-1))}`,
      );
    }
  });

  it('refuses expressions it cannot parse instead of evaluating them', () => {
    expect(() => compileSinkFilter({ where: ['process.exit(1)'] })).toThrow(/must start with/);
    expect(() => compileSinkFilter({ where: ['data.score >= "high"'] })).toThrow(/compares with a number/);
    expect(() => compileSinkFilter({ where: ['data.a == 1 || data.b == 2'] })).toThrow(/unexpected/);
    expect(() => compileSinkFilter({ where: ['data.a == 1 || data.b == 2'] })).toThrow(
      expect.objectContaining({ code: 'LH_ERR_INVALID_CONFIG' }),
    );
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

describe('sink types', () => {
  const minimal: Record<string, Record<string, unknown>> = {
    webhook: { url: 'https://hooks.example.com/x' },
    redis: {},
    nats: {},
    alert: { format: 'slack', url: 'https://hooks.slack.example/T/B/x' },
    tencent: { action: 'DropLiveStream' },
  };
  const load = (sinks: unknown) => loadConfig({ env: {}, flags: { sinks } });

  it('are each one definition the config, the JSON Schema and createSink derive from', () => {
    expect(Object.keys(minimal)).toEqual(sinkDefinitions.map((definition) => definition.type));
    const schema = JSON.stringify(configJsonSchema());
    for (const definition of sinkDefinitions) {
      expect(schema).toContain(`"const":"${definition.type}"`);
      const [config] = load([
        { name: `a-${definition.type}`, type: definition.type, ...minimal[definition.type] },
      ]).sinks;
      expect(config).toMatchObject({ type: definition.type, concurrency: definition.concurrency });
      const sink = createSink(config!);
      expect([sink.name, sink.type, sink.concurrency]).toEqual([
        `a-${definition.type}`,
        definition.type,
        definition.concurrency,
      ]);
    }
  });

  it('never quote the value of an option a definition declares secret', () => {
    for (const definition of sinkDefinitions) {
      for (const secret of definition.secrets) {
        const sink = (value: unknown) => ({
          name: 'x',
          type: definition.type,
          ...minimal[definition.type],
          [secret]: value,
        });
        const problems = problemsOf(() => load([sink(987_654_321)]));
        expect(problems, `${definition.type}.${secret}`).toEqual([expect.stringContaining(`: ${secret}`)]);
        expect(problems.join('\n')).not.toContain('987654321');
        // A string the option refuses (not every option refuses one) is never quoted either.
        for (const value of ['hunter2 hunter2', ['hunter2 hunter2', 7], { hunter2: true }]) {
          try {
            load([sink(value)]);
          } catch (error) {
            expect((error as ConfigError).problems.join('\n')).not.toContain('hunter2');
          }
        }
      }
    }
  });

  it("fill a sink's retry schedule from dispatch.retry field by field", () => {
    const config = loadConfig({
      env: {},
      flags: {
        dispatch: { retry: { scheduleMs: [1000, 2000], jitter: 0.1 } },
        sinks: [
          { name: 'own', type: 'redis', retry: { jitter: 0.5 } },
          { name: 'inherits', type: 'redis' },
        ],
      },
    });
    expect(config.sinks.map((sink) => sink.retry)).toEqual([
      { scheduleMs: [1000, 2000], jitter: 0.5 },
      { scheduleMs: [1000, 2000], jitter: 0.1 },
    ]);
  });

  it('report a filter type the catalog does not know, naming the sink and the entry', () => {
    const problems = problemsOf(() =>
      load([
        {
          name: 'ops',
          type: 'webhook',
          url: 'https://a.example/',
          filter: { types: ['css.moderation.*', 'css.porn'] },
        },
      ]),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^flag sinks\[0\] \("ops"\): filter: types\[1\] "css.porn" matches no event type/,
      ),
    ]);
    expect(catalog.map((definition) => definition.type as string)).not.toContain('css.porn');
  });
});
