import { describe, expect, it } from 'vitest';
import { clipText, parseMonitorMessage } from './monitor-message.js';

describe('parseMonitorMessage', () => {
  it('reads the stream name of a StreamBroken message', () => {
    const message = 'stream [ test1 ] is broken';
    expect(parseMonitorMessage('StreamBroken', message)).toEqual({ message, streamName: 'test1' });
  });

  it('reads the frame rate threshold of a StreamLowFramerate message', () => {
    const message = 'stream [ test1 ] frame rate is less than 10 fps';
    expect(parseMonitorMessage('StreamLowFramerate', message)).toEqual({
      message,
      streamName: 'test1',
      fpsThreshold: 10,
    });
  });

  it('reads a fractional frame rate threshold', () => {
    expect(
      parseMonitorMessage('StreamLowFramerate', 'stream [ s ] frame rate is less than 12.5 fps').fpsThreshold,
    ).toBe(12.5);
  });

  it('reads the text box and text of the documented OcrFullText message', () => {
    const message = 'stream [ test1 ] callback message: {AreaCoordSet:[42,325,101,336], Text:新闻联播}';
    expect(parseMonitorMessage('OcrFullText', message)).toEqual({
      message,
      streamName: 'test1',
      AreaCoordSet: [42, 325, 101, 336],
      Text: '新闻联播',
    });
  });

  it('reads the time span and text of the documented AsrFullText message', () => {
    const message =
      'stream [ test1 ] callback message: {StartPtsTime:4.783, EndPtsTime:24.063, Text:中方共同努力}';
    expect(parseMonitorMessage('AsrFullText', message)).toEqual({
      message,
      streamName: 'test1',
      StartPtsTime: 4.783,
      EndPtsTime: 24.063,
      Text: '中方共同努力',
    });
  });

  it('keeps commas, colons, braces, brackets and Chinese inside the ASR text', () => {
    const message =
      'stream [ test1 ] callback message: {StartPtsTime:30.5, EndPtsTime:36.25, Text:主持人说：{欢迎}, [掌声], key: value, 好}';
    const parsed = parseMonitorMessage('AsrFullText', message);
    expect(parsed.Text).toBe('主持人说：{欢迎}, [掌声], key: value, 好');
    expect(parsed.StartPtsTime).toBe(30.5);
    expect(parsed.EndPtsTime).toBe(36.25);
  });

  it('keeps a text that itself says Text: as part of the text', () => {
    const message = 'stream [ a ] callback message: {AreaCoordSet:[1,2,3,4], Text:Text: {x}}';
    expect(parseMonitorMessage('OcrFullText', message).Text).toBe('Text: {x}');
  });

  it('tolerates spaces around keys, values and the coordinates', () => {
    const message = 'stream [ a ] callback message: { AreaCoordSet : [ 1 , 2 , 3 , 4 ] , Text :  hello  }';
    expect(parseMonitorMessage('OcrFullText', message)).toMatchObject({
      AreaCoordSet: [1, 2, 3, 4],
      Text: 'hello',
    });
  });

  it('reads a stream name with dashes and dots', () => {
    expect(parseMonitorMessage('StreamBroken', 'stream [ live-2.hd_1 ] is broken').streamName).toBe(
      'live-2.hd_1',
    );
  });

  it.each([
    ['OcrFullText', 'stream [ test1 ] callback message: text recognition unavailable'],
    ['OcrFullText', 'stream [ test1 ] callback message: {AreaCoordSet:[42,325,101], Text:三个坐标}'],
    ['OcrFullText', 'stream [ test1 ] callback message: {AreaCoordSet:[42,a,101,336], Text:坐标}'],
    ['OcrFullText', 'stream [ test1 ] callback message: {Text:没有坐标}'],
    ['OcrFullText', 'stream [ test1 ] callback message: {AreaCoordSet:[42,325,101,336 Text:x}'],
    ['AsrFullText', 'stream [ test1 ] callback message: {StartPtsTime:4.783, Text:缺少结束时间}'],
    ['AsrFullText', 'stream [ test1 ] callback message: {StartPtsTime:soon, EndPtsTime:24.063, Text:x}'],
    ['AsrFullText', 'stream [ test1 ] callback message: {StartPtsTime:1, EndPtsTime:2}'],
    [
      'AsrFullText',
      'stream [ test1 ] callback message: {StartPtsTime:1, EndPtsTime:2, Text:no closing brace',
    ],
    ['StreamLowFramerate', 'stream [ test1 ] frame rate is low'],
  ])('yields no structured fields for the malformed %s message %j', (eventName, message) => {
    expect(parseMonitorMessage(eventName, message)).toEqual({ message, streamName: 'test1' });
  });

  it.each(['', '{', '}', 'stream [', 'callback message: {', '{{{}}}', ']]] [[[ : , Text:'])(
    'keeps the unparseable message %j as it is',
    (message) => {
      for (const eventName of ['StreamBroken', 'StreamLowFramerate', 'OcrFullText', 'AsrFullText', 'Other']) {
        expect(parseMonitorMessage(eventName, message)).toEqual({ message });
      }
    },
  );

  it('reads only the fields of the named event', () => {
    const message = 'stream [ test1 ] callback message: {AreaCoordSet:[42,325,101,336], Text:新闻联播}';
    expect(parseMonitorMessage('StreamBroken', message)).toEqual({ message, streamName: 'test1' });
    expect(parseMonitorMessage('AsrFullText', message)).toEqual({ message, streamName: 'test1' });
  });
});

describe('clipText', () => {
  it('folds newlines and runs of spaces into one line', () => {
    expect(clipText('  one\n two\t\tthree  ')).toBe('one two three');
    expect(clipText('one  two\u00a0three\u3000four')).toBe('one two three four');
    expect(clipText(' one two three ')).toBe('one two three');
  });

  it('clips long text to the given number of characters with an ellipsis', () => {
    expect(clipText('abcdefghij', 5)).toBe('abcd…');
    expect(clipText('abcde', 5)).toBe('abcde');
  });

  it('counts an emoji as one character and never splits it', () => {
    expect(clipText('😀😀😀😀😀😀', 4)).toBe('😀😀😀…');
    // Four emoji are eight UTF-16 units: still within four characters.
    expect(clipText('😀😀😀😀', 4)).toBe('😀😀😀😀');
  });
});
