/** Chat bot formats of the alert sink. */
export const ALERT_FORMATS = ['wecom', 'dingtalk', 'feishu', 'slack'] as const;

/** A chat bot format of the alert sink. */
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** How one chat product receives text taken from a callback, and the URLs livehooks links to. */
export interface AlertMarkup {
  /**
   * Callback text as one inert inline run: on one line (control characters, line and paragraph separators
   * and bidirectional controls become spaces), at most `maxLength` characters, escaped so that it renders
   * as the text it is: no mention, tag, link, image or code span.
   */
  text(value: string, maxLength: number): string;
  /** A destination from {@link alertHref}, escaped for the product's link syntax. */
  link(href: string): string;
}

/** Characters that end a line, hide text or reorder it on screen; runs of them become one space. */
const LINE_BREAKING = /[\s\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;

function oneLine(value: string, maxLength: number): string {
  const chars = Array.from(value.replace(LINE_BREAKING, ' ').trim());
  // Code points, not UTF-16 units: a cut never splits an emoji in half.
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : chars.join('');
}

/** Swaps each matched ASCII character for its fullwidth form (U+FF01..U+FF5E): read the same, parsed as text. */
function fullwidth(text: string, characters: RegExp): string {
  return text.replace(characters, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
}

/**
 * What starts markup in the Chinese bots' syntaxes, none of which documents an escape: `<` (HTML, WeCom
 * `<@userid>` and `<font>`, Feishu `<at user_id="all">`, autolinks), `[` `]` (links, images), `` ` `` (code),
 * `@` (`@all`, `@所有人`, `@mobile`) and `&` (entities a renderer could decode into any of these).
 */
const CHINESE_BOT_MARKUP = /[&<>[\]`@]/g;

/** Slack has no escape for these; `&`, `<` and `>` it escapes as HTML entities. */
const SLACK_UNESCAPABLE = /[[\]`@]/g;

/**
 * The escaping of callback text for each chat product, in one place: every field of an alert that comes
 * from a callback goes through its product's `text`, every URL through its `link`.
 *
 * @example
 * ```ts
 * alertMarkup.slack.text('<!channel> ping', 128); // '&lt;!channel&gt; ping'
 * alertMarkup.wecom.text('@all\n[x](http://evil)', 128); // '＠all ［x］(http://evil)'
 * ```
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 * @see https://developer.work.weixin.qq.com/document/path/91770
 * @see https://open.dingtalk.com/document/orgapp/custom-robot-access
 * @see https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 */
export const alertMarkup: Readonly<Record<AlertFormat, AlertMarkup>> = {
  // WeCom markdown: `<@userid>` mentions, `<font color>`, `[text](url)`, `` `code` ``.
  wecom: {
    text: (value, maxLength) => fullwidth(oneLine(value, maxLength), CHINESE_BOT_MARKUP),
    link: (href) => href,
  },
  // DingTalk markdown: links and images; `@mobile` in the text highlights whoever the message's `at` names.
  dingtalk: {
    text: (value, maxLength) => fullwidth(oneLine(value, maxLength), CHINESE_BOT_MARKUP),
    link: (href) => href,
  },
  // Feishu text: `<at user_id="all">` mentions, `[text](url)` links and style tags.
  feishu: {
    text: (value, maxLength) => fullwidth(oneLine(value, maxLength), CHINESE_BOT_MARKUP),
    link: (href) => href,
  },
  // Slack mrkdwn: `<!channel>`, `<!here>`, `<@U…>` and `<url|text>` all start with `<`; & < > become entities.
  slack: {
    text: (value, maxLength) =>
      fullwidth(
        oneLine(value, maxLength).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
        SLACK_UNESCAPABLE,
      ),
    link: (href) => href.replaceAll('&', '&amp;'),
  },
};

/** Longest URL an alert links to; a longer one is left out. */
const MAX_HREF = 2048;

/**
 * A URL from a callback made safe to place in a link: `http:` or `https:` without credentials, normalised,
 * with every character that could close a markdown destination or a Slack link (`( ) < > [ ] |`, quotes,
 * backticks, `@`, spaces) percent-encoded; undefined for anything else.
 *
 * @example
 * ```ts
 * alertHref('https://img.example.com/a)![x](http://evil)'); // 'https://img.example.com/a%29!%5Bx%5D%28http://evil%29'
 * ```
 */
export function alertHref(value: string): string | undefined {
  if (value.length > MAX_HREF || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '')
    return undefined;
  // The serialised URL is ASCII; keep the unreserved and the separators a URL needs, encode the rest.
  const href = url.href.replace(
    /[^A-Za-z0-9\-._~:/?#!$&'*+,;=%]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return href.length > MAX_HREF ? undefined : href;
}
