import { describe, expect, it } from 'vitest';
import { readThemeChoice, resolveTheme, saveThemeChoice } from './theme';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe('theme', () => {
  it('follows the system unless light or dark was chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('remembers a choice and forgets it when the system is chosen again', () => {
    const storage = memoryStorage();
    expect(readThemeChoice(storage)).toBe('system');
    saveThemeChoice('dark', storage);
    expect(readThemeChoice(storage)).toBe('dark');
    saveThemeChoice('system', storage);
    expect(readThemeChoice(storage)).toBe('system');
  });

  it('reads a stored value it does not know, or a denied storage, as the system choice', () => {
    const storage = memoryStorage();
    storage.setItem('livehooks.theme', 'sepia');
    expect(readThemeChoice(storage)).toBe('system');
    const denied = {
      getItem: (): string | null => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(readThemeChoice(denied)).toBe('system');
  });
});
