import { describe, expect, it } from 'vitest';
import { signCss } from '@livehooks/core';
import { resignCssBody } from './_css-resign.js';

describe('resignCssBody', () => {
  it('replaces t and sign in place, keeping every other byte', () => {
    const body = '{\n"event_type":200,\n"pic_url":"/a,b}.jpg",\n"sign":"old" ,\n"t":1545030873\n}\n';
    expect(resignCssBody(body, 'k', 1700000000)).toBe(
      `{\n"event_type":200,\n"pic_url":"/a,b}.jpg",\n"sign":"${signCss('k', 1700000000)}" ,\n"t":1700000000\n}\n`,
    );
  });

  it('leaves nested members named t alone', () => {
    const body = '{"event_type":1,"x":{"t":5,"sign":"n"},"t":"1","sign":"s"}';
    const resigned = JSON.parse(resignCssBody(body, 'k', 42)!) as Record<string, unknown>;
    expect(resigned).toEqual({ event_type: 1, x: { t: 5, sign: 'n' }, t: 42, sign: signCss('k', 42) });
  });

  it('adds t and sign to a body that has neither', () => {
    expect(resignCssBody('{"event_type":1}', 'k', 7)).toBe(
      `{"event_type":1,"t":7,"sign":"${signCss('k', 7)}"}`,
    );
    expect(resignCssBody('{ }', 'k', 7)).toBe(`{"t":7,"sign":"${signCss('k', 7)}" }`);
  });

  it('adds the missing sign beside an existing t', () => {
    const resigned = resignCssBody('{"t":1, "a":[1,{"b":"}"}]}', 'k', 9)!;
    expect(JSON.parse(resigned)).toEqual({ t: 9, a: [1, { b: '}' }], sign: signCss('k', 9) });
  });

  it('refuses text that is not a JSON object', () => {
    expect(resignCssBody('[1,2]', 'k', 1)).toBeUndefined();
    expect(resignCssBody('{"a":1', 'k', 1)).toBeUndefined();
  });
});
