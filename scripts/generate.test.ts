import { describe, expect, it } from 'vitest';
import { generateFiles, staleFiles } from './generate.js';

describe('generated files', () => {
  it('are fresh: docs/events.md, docs/errors.md and the JSON Schemas match the catalog', async () => {
    expect(staleFiles(await generateFiles())).toEqual([]);
  });

  it('cover every catalog type', async () => {
    const files = await generateFiles();
    const events = files.get('docs/events.md') ?? '';
    expect(events).toContain('`css.screenshot`');
    expect(events).toContain('`trtc.moderation.start`');
    expect([...files.keys()].filter((path) => path.endsWith('.json')).length).toBeGreaterThan(3);
  });
});
