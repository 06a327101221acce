import { useState } from 'react';
import { linePath, type RateChartData } from '../lib/rate-series';
import { useElementWidth } from '../hooks/use-element-width';
import { useT } from '../i18n/i18n-context';

const COLORS = ['#2f6fdb', '#1f9d74', '#d9822b', '#b44fbf', '#c94848', '#3aa0b5', '#8a8f98'];
/** Drawn at the width it is shown at, but never narrower than this. */
const MIN_WIDTH = 300;
const HEIGHT = 220;
const LEFT = 44;
const BOTTOM = 24;
const TOP = 8;

/** Events per type over time, one line per type, hand-drawn in SVG. */
export function RateChart({ data, bucketMs }: { data: RateChartData; bucketMs: number }) {
  const [hover, setHover] = useState<number | undefined>(undefined);
  const { t, clock, compact, count: formatCount, eventType } = useT();
  const { ref, width: shown } = useElementWidth<HTMLDivElement>(900);
  const width = Math.max(MIN_WIDTH, shown);
  const plotWidth = width - LEFT - 8;
  const plotHeight = HEIGHT - BOTTOM - TOP;
  const count = data.times.length;
  const step = count > 1 ? plotWidth / (count - 1) : 0;
  const ticks = [0, data.max / 2, data.max];
  // About one time label per 120 px, so they never overlap on a phone.
  const labelEvery = Math.max(1, Math.ceil(count / Math.max(2, Math.floor(width / 120))));
  const label =
    bucketMs === 60_000
      ? t('chart.perMinute')
      : t('chart.perMinutes', { minutes: Math.round(bucketMs / 60_000) });

  return (
    <div className="chart" ref={ref}>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={label}
        onMouseLeave={() => setHover(undefined)}
        onMouseMove={(event) => {
          const box = event.currentTarget.getBoundingClientRect();
          const x = ((event.clientX - box.left) / box.width) * width - LEFT;
          if (count === 0 || x < -step / 2) return setHover(undefined);
          setHover(Math.max(0, Math.min(count - 1, Math.round(x / (step || 1)))));
        }}
      >
        <g transform={`translate(${LEFT},${TOP})`}>
          {ticks.map((tick) => {
            const y = plotHeight - (tick / data.max) * plotHeight;
            return (
              <g key={tick}>
                <line x1={0} x2={plotWidth} y1={y} y2={y} className="grid" />
                <text x={-8} y={y + 4} textAnchor="end" className="axis">
                  {compact(tick)}
                </text>
              </g>
            );
          })}
          {data.times.map((time, index) =>
            index % labelEvery === 0 ? (
              <text key={time} x={index * step} y={plotHeight + 17} textAnchor="middle" className="axis">
                {clock(time)}
              </text>
            ) : null,
          )}
          {data.series.map((line, index) =>
            // Points mark the minutes with events, so a lone burst still shows when lines overlap at zero.
            count <= 120
              ? line.values.map((value, at) =>
                  value > 0 ? (
                    <circle
                      key={`${line.key}-${at}`}
                      cx={at * step}
                      cy={plotHeight - (Math.min(value, data.max) / data.max) * plotHeight}
                      r={2.5}
                      fill={COLORS[index % COLORS.length]}
                    />
                  ) : null,
                )
              : null,
          )}
          {data.series.map((line, index) => (
            <path
              key={line.key}
              d={linePath(line.values, { width: plotWidth, height: plotHeight, max: data.max })}
              fill="none"
              stroke={COLORS[index % COLORS.length]}
              strokeWidth={1.8}
              strokeLinejoin="round"
            />
          ))}
          {hover !== undefined && (
            <line x1={hover * step} x2={hover * step} y1={0} y2={plotHeight} className="cursor" />
          )}
        </g>
      </svg>
      <ul className="legend">
        {data.series.map((line, index) => (
          <li key={line.key} title={line.key}>
            <span className="swatch" style={{ background: COLORS[index % COLORS.length] }} />
            {line.key === 'other' ? t('chart.otherTypes') : eventType(line.key)}
            <span className="muted">
              {hover === undefined ? formatCount(line.total) : formatCount(line.values[hover] ?? 0)}
            </span>
          </li>
        ))}
        {hover !== undefined && data.times[hover] !== undefined && (
          <li className="muted">{t('chart.at', { time: clock(data.times[hover]) })}</li>
        )}
      </ul>
    </div>
  );
}
