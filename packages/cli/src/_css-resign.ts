import { signCss } from '@livehooks/core';

interface Member {
  /** Offset of the value's first character. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

/** Finds the values of the top-level members of a JSON object text, without parsing it into values. */
function topLevelMembers(text: string): { members: Map<string, Member>; close: number } | undefined {
  const members = new Map<string, Member>();
  let depth = 0;
  let close = -1;
  let key: string | undefined;
  let valueStart = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && valueStart === -1) {
        key = JSON.parse(text.slice(i, j + 1)) as string;
      }
      i = j;
    } else if (char === ':' && depth === 1 && key !== undefined && valueStart === -1) {
      valueStart = i + 1;
      while (/\s/.test(text[valueStart] ?? '')) valueStart++;
    } else if (char === '{' || char === '[') {
      depth++;
    } else if ((char === ',' && depth === 1) || ((char === '}' || char === ']') && depth-- === 1)) {
      if (key !== undefined && valueStart !== -1) {
        let end = i;
        while (end > valueStart && /\s/.test(text[end - 1] ?? '')) end--;
        members.set(key, { start: valueStart, end });
      }
      key = undefined;
      valueStart = -1;
      if (char === '}' && depth === 0) {
        close = i;
        break;
      }
    }
  }
  return close === -1 ? undefined : { members, close };
}

/**
 * Gives a CSS callback body a new expiry `t` and its `sign` = md5(key + t), editing only those two
 * values in the text so every other byte stays as captured (CSS signs `t`, not the body:
 * https://cloud.tencent.com/document/product/267/32744). Adds both members when the body has none. Returns
 * undefined when the text is not a JSON object.
 */
export function resignCssBody(body: string, key: string, t: number): string | undefined {
  const found = topLevelMembers(body);
  if (!found) return undefined;
  const values = { t: String(t), sign: JSON.stringify(signCss(key, t)) };
  const edits = (['t', 'sign'] as const)
    .map((name) => ({ name, member: found.members.get(name) }))
    .filter((edit): edit is { name: 't' | 'sign'; member: Member } => edit.member !== undefined)
    .sort((a, b) => b.member.start - a.member.start);
  let text = body;
  for (const { name, member } of edits)
    text = text.slice(0, member.start) + values[name] + text.slice(member.end);
  const missing = (['t', 'sign'] as const).filter((name) => !found.members.has(name));
  if (missing.length === 0) return text;
  const close = edits.length === 0 ? found.close : (topLevelMembers(text)?.close ?? found.close);
  const addition = missing.map((name) => `${JSON.stringify(name)}:${values[name]}`).join(',');
  const before = text.slice(0, close).trimEnd();
  const separator = before.endsWith('{') ? '' : ',';
  return `${before}${separator}${addition}${text.slice(before.length)}`;
}
