import type { SinkConfigOfDefinition } from '../define-sink.js';
import { alertSink } from './alert-sink.js';
import { natsSink } from './nats-sink.js';
import { redisSink } from './redis-sink.js';
import { tencentSink } from './tencent-sink.js';
import { webhookSink } from './webhook-sink.js';

/**
 * Every sink type the config file knows, each defined once with `defineSink` in its own file. The
 * `sinks` section of the config schema, its JSON Schema, `docs/sinks.md` and `createDispatch` derive
 * from this list: a new sink type is one file and one line here.
 */
export const sinkDefinitions = [webhookSink, redisSink, natsSink, alertSink, tencentSink] as const;

/** One configured sink: a union discriminated on `type`. */
export type SinkConfig = SinkConfigOfDefinition<(typeof sinkDefinitions)[number]>;
