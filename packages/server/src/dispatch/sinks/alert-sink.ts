import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { httpUrlField, integerField, oneOfField, textField } from '../_config-fields.js';
import { defineSink, type SinkConfigOf } from '../define-sink.js';
import { ALERT_FORMATS, alertHref, alertMarkup, type AlertFormat, type AlertMarkup } from './alert-markup.js';
import { SinkDeliveryError, type DeliveryEnvelope, type DeliveryReceipt, type Sink } from '../sink.js';

const alertOptions = z.object({
  format: oneOfField(ALERT_FORMATS).describe(
    "The bot's product: `wecom` (markdown), `dingtalk` (markdown), `feishu` (text) or `slack` (mrkdwn).",
  ),
  url: httpUrlField().describe("The bot's incoming-webhook URL (it carries the bot's token)."),
  secret: textField()
    .optional()
    .describe('DingTalk / Feishu signing secret ("加签"): DingTalk signs the URL, Feishu the body.'),
  minIntervalMs: integerField(0, 86_400_000)
    .default(60_000)
    .describe(
      'At most one message per stream (or room) per this many ms; events inside the window are recorded as skipped.',
    ),
});

/** A chat alert through an incoming-webhook bot. */
export type AlertSinkConfig = SinkConfigOf<'alert', typeof alertOptions>;

export type { AlertFormat };

/** The readable facts of an alert, taken from the event; every string but `title` and `link` is callback text. */
export interface AlertFacts {
  /** The event type, from the catalog. */
  title: string;
  summary: string;
  streamId: string | undefined;
  roomId: string | undefined;
  userId: string | undefined;
  label: string | undefined;
  score: number | undefined;
  /** An image or audio URL of the event, already checked by {@link alertHref}. */
  link: string | undefined;
}

/** Longest summary an alert shows, in characters; longer ones end in `…`. */
const SUMMARY_MAX = 200;
/** Longest id or label an alert shows; stream names and TRTC ids are far shorter. */
const FIELD_MAX = 128;

function field(data: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names)
    if (data[name] !== undefined && data[name] !== null && data[name] !== '') return data[name];
  return undefined;
}

function firstLink(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return /^https?:\/\/\S+$/.test(value) ? alertHref(value) : undefined;
  if (depth > 3 || value === null || typeof value !== 'object') return undefined;
  for (const item of Object.values(value)) {
    const link = firstLink(item, depth + 1);
    if (link !== undefined) return link;
  }
  return undefined;
}

/** Picks what a person needs from an event: summary, stream or room, label, score and an image or audio link. */
export function alertFacts(envelope: DeliveryEnvelope): AlertFacts {
  const data = (envelope.data ?? {}) as Record<string, unknown>;
  const { streamId, roomId, userId } = envelope.subject;
  const label = field(data, ['suggestion', 'label', 'Label', 'type', 'Type']);
  const score = Number(field(data, ['score', 'Score', 'confidence', 'Confidence']));
  return {
    title: envelope.type,
    summary: envelope.summary,
    streamId,
    roomId,
    userId,
    label: typeof label === 'string' || typeof label === 'number' ? String(label) : undefined,
    score: Number.isFinite(score) ? score : undefined,
    link: firstLink(data),
  };
}

/** The fact lines, each callback field escaped by `markup` on its own, inside static text. */
function lines(facts: AlertFacts, markup: AlertMarkup): string[] {
  const text = (value: string) => markup.text(value, FIELD_MAX);
  const subject =
    facts.streamId !== undefined
      ? `stream ${text(facts.streamId)}`
      : facts.roomId !== undefined
        ? `room ${text(facts.roomId)}${facts.userId === undefined ? '' : ` user ${text(facts.userId)}`}`
        : undefined;
  return [
    markup.text(facts.summary, SUMMARY_MAX),
    ...(subject === undefined ? [] : [subject]),
    ...(facts.label === undefined ? [] : [`label: ${text(facts.label)}`]),
    ...(facts.score === undefined ? [] : [`score: ${facts.score}`]),
  ];
}

/**
 * The bot message body in each product's own format: WeCom and DingTalk markdown, Feishu text, Slack mrkdwn.
 * Callback text is escaped for the product ({@link alertMarkup}): it never mentions anyone, links, embeds an
 * image or breaks a line. DingTalk's `at` is never set: the message notifies no one by name.
 *
 * @example
 * ```ts
 * alertMessage('slack', alertFacts(envelope)); // { text: '*css.moderation.image*\n...' }
 * ```
 * @see https://developer.work.weixin.qq.com/document/path/91770
 * @see https://open.dingtalk.com/document/orgapp/custom-robot-access
 * @see https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 * @see https://api.slack.com/messaging/webhooks
 */
export function alertMessage(format: AlertFormat, facts: AlertFacts): Record<string, unknown> {
  const markup = alertMarkup[format];
  const title = markup.text(facts.title, FIELD_MAX);
  const body = lines(facts, markup);
  const link = facts.link === undefined ? undefined : markup.link(facts.link);
  switch (format) {
    case 'wecom':
      return {
        msgtype: 'markdown',
        markdown: {
          content: [
            `**${title}**`,
            ...body.map((line) => `> ${line}`),
            ...(link === undefined ? [] : [`[open](${link})`]),
          ].join('\n'),
        },
      };
    case 'dingtalk':
      return {
        msgtype: 'markdown',
        markdown: {
          title,
          text: [
            `### ${title}`,
            ...body.map((line) => `- ${line}`),
            ...(link === undefined ? [] : [`![image](${link})`, `[open](${link})`]),
          ].join('\n\n'),
        },
      };
    case 'feishu':
      return {
        msg_type: 'text',
        content: { text: [title, ...body, ...(link === undefined ? [] : [link])].join('\n') },
      };
    case 'slack':
      return {
        text: [`*${title}*`, ...body, ...(link === undefined ? [] : [`<${link}|open>`])].join('\n'),
      };
  }
}

/** DingTalk's signed URL: `timestamp` (ms) and `sign` = base64 HMAC-SHA256 of `timestamp\nsecret`. */
function dingTalkUrl(url: string, secret: string, now: number): string {
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  const signed = new URL(url);
  signed.searchParams.set('timestamp', String(now));
  signed.searchParams.set('sign', sign);
  return signed.toString();
}

/** Feishu's body signature: `timestamp` (s) and `sign` = base64 HMAC-SHA256 keyed by `timestamp\nsecret` over nothing. */
function feishuSign(secret: string, now: number): { timestamp: string; sign: string } {
  const timestamp = String(Math.floor(now / 1000));
  return { timestamp, sign: createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64') };
}

/** Each bot answers 200 with its own error field; a non-zero one is a failure. */
function botError(format: AlertFormat, text: string): string | undefined {
  if (format === 'slack') return text.trim() === 'ok' ? undefined : text.slice(0, 100);
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `unreadable answer ${JSON.stringify(text.slice(0, 60))}`;
  }
  const code = answer.errcode ?? answer.code ?? answer.StatusCode ?? 0;
  const detail = answer.errmsg ?? answer.msg;
  return code === 0
    ? undefined
    : `bot error ${JSON.stringify(code)}: ${typeof detail === 'string' ? detail.slice(0, 100) : ''}`;
}

/**
 * A sink that posts a readable alert to a WeCom, DingTalk, Feishu or Slack incoming-webhook bot, at most one
 * per stream (or room) per `minIntervalMs`, so a flapping stream does not flood the channel; events inside
 * the window are recorded as skipped.
 *
 * @example
 * ```ts
 * const sink = createAlertSink({ name: 'oncall', type: 'alert', format: 'wecom', url, minIntervalMs: 60_000, ... });
 * ```
 */
export function createAlertSink(config: AlertSinkConfig, options: { now?: () => number } = {}): Sink {
  const now = options.now ?? Date.now;
  const lastSent = new Map<string, number>();
  return {
    name: config.name,
    type: 'alert',
    concurrency: config.concurrency,
    async deliver(envelope, context): Promise<DeliveryReceipt | undefined> {
      const key = envelope.subject.streamId ?? envelope.subject.roomId ?? '';
      const at = now();
      const previous = lastSent.get(key);
      if (previous !== undefined && at - previous < config.minIntervalMs) {
        return { result: { skipped: 'rate-limited', previousAt: previous } };
      }
      // Claim the window before the request: events of one stream committed together are attempted
      // concurrently, and each would otherwise see no earlier message and post its own.
      lastSent.set(key, at);
      try {
        return await post(envelope, context.signal, at);
      } catch (error) {
        // A failed message did not reach the channel: the stream's next event (or this one's retry) may post.
        if (previous === undefined) lastSent.delete(key);
        else lastSent.set(key, previous);
        throw error;
      }
    },
  };

  async function post(envelope: DeliveryEnvelope, signal: AbortSignal, at: number): Promise<DeliveryReceipt> {
    const message = alertMessage(config.format, alertFacts(envelope));
    let url = config.url;
    if (config.secret !== undefined && config.format === 'dingtalk')
      url = dingTalkUrl(url, config.secret, at);
    if (config.secret !== undefined && config.format === 'feishu')
      Object.assign(message, feishuSign(config.secret, at));
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal,
      });
    } catch (cause) {
      throw new SinkDeliveryError(
        `request failed (${(cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).name})`,
        { cause },
      );
    }
    const text = await response.text();
    if (response.status === 410)
      throw new SinkDeliveryError('HTTP 410 Gone: the bot was removed', { disableSink: true });
    if (!response.ok) throw new SinkDeliveryError(`HTTP ${response.status}`);
    const error = botError(config.format, text);
    if (error !== undefined) throw new SinkDeliveryError(error);
    return { result: { sent: true } };
  }
}

/** The `alert` sink type. */
export const alertSink = defineSink({
  type: 'alert',
  description: 'Posts a readable alert to a WeCom, DingTalk, Feishu or Slack incoming-webhook bot.',
  options: alertOptions,
  secrets: ['url', 'secret'],
  concurrency: 2,
  create: (config) => createAlertSink(config),
});
