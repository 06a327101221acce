import { useCallback, useState } from 'react';

const REVIEWER_KEY = 'livehooks.reviewer';

function readReviewer(): string {
  try {
    return localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The name of whoever reviews and acts in this browser, remembered across visits: it signs moderation
 * decisions and operator actions.
 *
 * @example
 * ```tsx
 * const [reviewer, setReviewer] = useReviewer();
 * return <input value={reviewer} onChange={(event) => setReviewer(event.target.value)} />;
 * ```
 */
export function useReviewer(): [reviewer: string, setReviewer: (name: string) => void] {
  const [reviewer, setState] = useState(readReviewer);
  const setReviewer = useCallback((name: string) => {
    setState(name);
    try {
      localStorage.setItem(REVIEWER_KEY, name);
    } catch {
      // Not kept across visits when storage is denied; the name still applies to this visit.
    }
  }, []);
  return [reviewer, setReviewer];
}
