import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The width in CSS pixels of the element the returned ref is put on, kept up to date as it resizes, so an
 * SVG can be drawn at its real size (text in a scaled-down drawing becomes unreadable on a phone).
 */
export function useElementWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => setWidth(Math.round(element.getBoundingClientRect().width) || fallback);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [fallback]);
  return { ref, width };
}
