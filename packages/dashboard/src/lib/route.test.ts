import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './route';

describe('hash routes', () => {
  it('reads the overview, lists and detail pages', () => {
    expect(parseRoute('')).toEqual({ page: 'overview', query: {} });
    expect(parseRoute('#/')).toEqual({ page: 'overview', query: {} });
    expect(parseRoute('#/moderation?status=escalated')).toEqual({
      page: 'moderation',
      query: { status: 'escalated' },
    });
    expect(parseRoute('#/streams/live%201?app_id=live')).toEqual({
      page: 'stream',
      id: 'live 1',
      query: { app_id: 'live' },
    });
    expect(parseRoute('#/tasks/abc')).toEqual({ page: 'task', id: 'abc', query: {} });
    expect(parseRoute('#/rejections/0190?reason=LH_ERR_INVALID_JSON')).toEqual({
      page: 'rejection',
      id: '0190',
      query: { reason: 'LH_ERR_INVALID_JSON' },
    });
    expect(routeHref({ page: 'rejection', id: '0190' })).toBe('#/rejections/0190');
    expect(parseRoute('#/deliveries/ops%20alerts?status=dead')).toEqual({
      page: 'sink',
      id: 'ops alerts',
      query: { status: 'dead' },
    });
    expect(routeHref({ page: 'sink', id: 'ops alerts' })).toBe('#/deliveries/ops%20alerts');
  });

  it('sends unknown paths and details of detail-less lists to not-found', () => {
    expect(parseRoute('#/nowhere').page).toBe('not-found');
    expect(parseRoute('#/search/abc').page).toBe('not-found');
    expect(parseRoute('#/events/a/b').page).toBe('not-found');
  });

  it('round-trips a route with Chinese query text through its link', () => {
    const href = routeHref({ page: 'search', query: { q: '直播', kind: '', stream_id: undefined } });
    expect(href).toBe('#/search?q=%E7%9B%B4%E6%92%AD');
    expect(parseRoute(href)).toEqual({ page: 'search', query: { q: '直播' } });
  });

  it('keeps a malformed percent escape in an id as typed', () => {
    expect(parseRoute('#/events/%E0%A4%A')).toEqual({ page: 'event', id: '%E0%A4%A', query: {} });
  });

  it('sends names every object inherits to not-found', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(parseRoute(`#/${name}`).page, name).toBe('not-found');
      expect(parseRoute(`#/${name}/x`).page, name).toBe('not-found');
    }
  });

  it('keeps prototype words in the query as plain keys', () => {
    const { query } = parseRoute('#/events?__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(Object.hasOwn(query, '__proto__')).toBe(true);
    expect(query.constructor).toBe('y');
  });
});
