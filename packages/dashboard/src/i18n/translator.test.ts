import { describe, expect, it } from 'vitest';
import { en } from './messages-en';
import { zhCN } from './messages-zh-cn';
import { createTranslator, formatLocaleFor, NAMED_EVENT_TYPES, pickLocale } from './translator';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogues', () => {
  it('zh-CN has exactly the English keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('every zh-CN message has the placeholders of its English message, and is not left empty', () => {
    for (const [key, text] of Object.entries(en)) {
      const translated = zhCN[key as keyof typeof en];
      expect(placeholders(translated), key).toEqual(placeholders(text));
      expect(translated.trim(), key).not.toBe('');
    }
  });

  it('names the event types of the catalogue, in both languages', () => {
    expect(NAMED_EVENT_TYPES).toContain('css.monitor.stream_broken');
    expect(NAMED_EVENT_TYPES).not.toContain('unknown');
    const zh = createTranslator({ locale: 'zh-CN', timeZone: 'UTC' });
    for (const type of NAMED_EVENT_TYPES) expect(zh.eventType(type), type).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('choosing the locale', () => {
  it('takes the first language of the browser the dashboard speaks', () => {
    expect(pickLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLocale(['zh-TW'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'en-GB', 'zh-CN'])).toBe('en');
    expect(pickLocale(['fr-FR'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it("formats with the browser's own variant of the language", () => {
    expect(formatLocaleFor('en', ['en-GB', 'zh-CN'])).toBe('en-GB');
    expect(formatLocaleFor('en', ['zh-CN'])).toBe('en-US');
    expect(formatLocaleFor('zh-CN', ['en-GB'])).toBe('zh-CN');
  });
});

describe('translator', () => {
  const now = Date.UTC(2026, 0, 2, 20, 4, 5);
  const english = createTranslator({ locale: 'en', timeZone: 'UTC' });
  const chinese = createTranslator({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });

  it('fills placeholders, formatting numbers for the locale', () => {
    expect(english.t('ui.shown', { count: 1234 })).toBe('1,234 shown');
    expect(chinese.t('tail.resumeNew', { count: 3 })).toBe('继续（3 个新事件）');
    expect(english.t('nav.overview')).toBe('Overview');
  });

  it('shows dates and times in the time zone, and names the zone', () => {
    expect(english.time(now)).toBe('01/02/2026, 20:04:05 UTC');
    expect(chinese.time(now)).toBe('2026/01/03 04:04:05 GMT+8');
    expect(chinese.dayTime(now)).toBe('01/03 04:04:05');
    expect(english.clock(now)).toBe('20:04');
    expect(chinese.zone).toBe('GMT+8');
    const london = createTranslator({ locale: 'en', formatLocale: 'en-GB', timeZone: 'Europe/London' });
    expect(london.time(Date.UTC(2026, 6, 1, 12))).toBe('01/07/2026, 13:00:00 BST');
    expect(london.time(Date.UTC(2026, 0, 1, 12))).toBe('01/01/2026, 12:00:00 GMT');
  });

  it('says how long ago in seconds, minutes, hours and days', () => {
    expect(english.ago(now - 2_000, now)).toBe('just now');
    expect(english.ago(now - 42_000, now)).toBe('42 sec. ago');
    expect(english.ago(now - 90_000, now)).toBe('1 min. ago');
    expect(english.ago(now + 60_000, now)).toBe('in 1 min.');
    expect(chinese.ago(now - 3 * 3_600_000, now)).toBe('3小时前');
    expect(chinese.ago(now - 2 * 86_400_000, now)).toBe('2天前');
  });

  it('puts event types in words, unrecognised ones and names every object inherits included', () => {
    expect(english.eventType('css.monitor.stream_broken')).toBe('Stream broken');
    expect(chinese.eventType('css.monitor.stream_broken')).toBe('流中断');
    expect(english.eventType('css.unknown')).toBe('Unrecognised callback');
    expect(english.eventType('trtc.moderation.unknown')).toBe('Unrecognised moderation callback');
    expect(english.eventType('trtc.recording.new_thing')).toBe('Recording new thing');
    for (const type of ['constructor', 'toString', '__proto__']) {
      expect(english.eventType(type), type).not.toContain('function');
    }
  });

  it('describes the signature verdict without claiming which callback it was', () => {
    expect(english.auth({ method: 'css-md5', keyId: 'css:0', stale: true })).toBe(
      'Signed with the CSS key (css:0), arrived after its expiry time',
    );
    expect(english.auth({ method: 'trtc-hmac', stale: false })).toBe('Signed with the TRTC key');
    const secret = english.auth({ method: 'unsigned', keyId: 'ingest-secret', stale: false });
    expect(secret).toMatch(/^Not signed; accepted because it came to the secret ingest URL/);
    expect(secret).not.toMatch(/328|321/);
    expect(chinese.auth({ method: 'unsigned', stale: false })).toBe(
      '未签名；因为配置允许未签名的回调而被接受',
    );
  });

  it("puts Tencent's codes in words: labels, refusal reasons, leave codes and task states", () => {
    expect(chinese.labels(['Porn', 'WomenChest'])).toBe('色情、WomenChest');
    expect(english.labels(['Ad', 'Polity'])).toBe('Ad, Polity');
    expect(chinese.reason('LH_ERR_SIGNATURE_MISMATCH', 'the signature does not match')).toBe('签名不匹配');
    expect(chinese.reason('LH_ERR_SOMETHING_NEW', 'what the gateway said')).toBe('what the gateway said');
    expect(english.leaveCode(99)).toBe('no other user stream left in the room for the configured time');
    expect(chinese.leaveCode(7)).toBe('未知的退出码 7');
    expect(chinese.taskState({ state: 'stopped', stateLabel: 'stopped: x', leaveCode: 2 })).toBe(
      '已停止：客户解散了房间',
    );
    expect(english.taskState({ state: 'running', stateLabel: 'running' })).toBe(
      'Running: the moderation robot is in the room',
    );
  });

  it('says why a push ended from its disconnect codes, the exact code first, then the code, then its kind', () => {
    const code = (
      errcode: number,
      category: 'customer' | 'authentication' | 'network',
      subErrcode?: number,
    ) => ({
      errcode,
      category,
      known: true,
      ...(subErrcode === undefined ? {} : { subErrcode }),
    });
    expect(english.disconnect(code(21, 'customer', 101))).toBe(
      'Forbidden by a ForbidLiveStream request (code 21/101)',
    );
    expect(chinese.disconnect(code(18, 'authentication', 503))).toBe(
      '推流鉴权失败：txSecret 校验失败（错误码 18/503）',
    );
    expect(english.disconnect(code(18, 'authentication', 999))).toBe(
      'Push refused by the live system (code 18/999)',
    );
    expect(chinese.disconnect(code(14, 'network'))).toBe('推流链路网络异常（错误码 14）');
  });
});
