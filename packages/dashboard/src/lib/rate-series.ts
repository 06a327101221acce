/** One line of the event-rate chart. */
export interface RateSeries {
  /** The event type, or `other` for the types folded together. */
  key: string;
  /** Events per bucket, one value per entry of {@link RateChartData.times}. */
  values: number[];
  total: number;
}

/** What the overview chart draws. */
export interface RateChartData {
  /** Bucket start times, evenly spaced, oldest first. */
  times: number[];
  series: RateSeries[];
  /** The top of the y axis: a round number at or above the highest value. */
  max: number;
}

/** Options for {@link buildRateSeries}. */
export interface RateSeriesOptions {
  /** Start of the window, in ms. */
  since: number;
  /** End of the window, in ms. */
  until: number;
  /** Bucket width, in ms. */
  bucketMs: number;
  /** Lines drawn; the smaller types are summed into `other`. Default 6. */
  maxSeries?: number;
}

/**
 * The smallest "nice" number (1, 2 or 5 times a power of ten) at or above a value, so axis labels are
 * round.
 *
 * @example
 * ```ts
 * niceCeiling(37); // 50
 * ```
 */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

/**
 * Turns `GET /api/stats` buckets into chart lines: every bucket of the window is present (a quiet minute
 * is a zero, not a gap the line would jump over), the busiest types get their own line and the rest are
 * summed into `other`.
 *
 * @example
 * ```ts
 * const chart = buildRateSeries(stats.buckets, { since, until: Date.now(), bucketMs: 60_000 });
 * ```
 */
export function buildRateSeries(
  buckets: readonly { t: number; counts: Readonly<Record<string, number>> }[],
  options: RateSeriesOptions,
): RateChartData {
  const { bucketMs } = options;
  const first = Math.floor(options.since / bucketMs) * bucketMs;
  const last = Math.floor((options.until - 1) / bucketMs) * bucketMs;
  const times: number[] = [];
  for (let t = first; t <= last; t += bucketMs) times.push(t);
  const indexOf = new Map(times.map((t, index) => [t, index]));

  const totals = new Map<string, number>();
  for (const bucket of buckets) {
    for (const [type, count] of Object.entries(bucket.counts)) {
      totals.set(type, (totals.get(type) ?? 0) + count);
    }
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const maxSeries = options.maxSeries ?? 6;
  // Folding a single leftover type into "other" would hide its name for nothing.
  const own = ranked.length <= maxSeries ? ranked : ranked.slice(0, maxSeries - 1);
  const ownKeys = new Set(own.map(([type]) => type));
  const series: RateSeries[] = own.map(([key]) => ({ key, values: times.map(() => 0), total: 0 }));
  const other: RateSeries = { key: 'other', values: times.map(() => 0), total: 0 };
  const byKey = new Map(series.map((line) => [line.key, line]));

  for (const bucket of buckets) {
    const index = indexOf.get(Math.floor(bucket.t / bucketMs) * bucketMs);
    if (index === undefined) continue;
    for (const [type, count] of Object.entries(bucket.counts)) {
      const line = ownKeys.has(type) ? byKey.get(type)! : other;
      line.values[index] = line.values[index]! + count;
      line.total += count;
    }
  }
  if (other.total > 0) series.push(other);
  const highest = Math.max(0, ...series.flatMap((line) => line.values));
  return { times, series, max: niceCeiling(highest) };
}

/**
 * The SVG path of one line in a `width` × `height` box, y growing downward as in SVG.
 *
 * @example
 * ```ts
 * linePath([0, 5, 10], { width: 100, height: 50, max: 10 }); // 'M0,50L50,25L100,0'
 * ```
 */
export function linePath(
  values: readonly number[],
  box: { width: number; height: number; max: number },
): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? box.width / (values.length - 1) : 0;
  const round = (value: number): number => Math.round(value * 10) / 10;
  return values
    .map((value, index) => {
      const x = round(index * step);
      const y = round(box.height - (Math.min(value, box.max) / box.max) * box.height);
      return `${index === 0 ? 'M' : 'L'}${x},${y}`;
    })
    .join('');
}
