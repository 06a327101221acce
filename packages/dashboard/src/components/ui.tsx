import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client';
import { useNow } from '../hooks/use-now';
import { formatAgo, formatJson, formatTime } from '../lib/format';
import type { Look, Tone } from '../lib/tones';

/** A small coloured label. */
export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: Tone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A page's title row, with optional controls on the right. */
export function PageHeader({
  title,
  subtitle,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle !== undefined && <p className="subtitle">{subtitle}</p>}
      </div>
      {children !== undefined && <div className="page-actions">{children}</div>}
    </header>
  );
}

/** A bordered section with a heading. */
export function Panel({
  title,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`}>
      {(title !== undefined || actions !== undefined) && (
        <div className="panel-head">
          {title !== undefined && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

/** What a list shows when it has nothing. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children !== undefined && <p>{children}</p>}
    </div>
  );
}

/** A failed request in words. */
export function ErrorNotice({ error }: { error: unknown }) {
  const message =
    error instanceof ApiError
      ? error.code === 'LH_ERR_NETWORK'
        ? 'The gateway could not be reached. Is it running?'
        : error.message
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="notice notice-bad" role="alert">
      {message}
      {error instanceof ApiError && error.status > 0 && <span className="muted"> ({error.code})</span>}
    </div>
  );
}

/** Loading placeholder. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return <div className="loading">{what}…</div>;
}

/** The "load more" footer of a cursor-paginated list. */
export function LoadMore({
  hasMore,
  loading,
  onMore,
  count,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  count: number;
}) {
  return (
    <div className="load-more">
      <span className="muted">
        {count} shown{hasMore ? '' : ', no more'}
      </span>
      {hasMore && (
        <button type="button" onClick={onMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

/** A time as "5 min ago", the exact time on hover. */
export function TimeAgo({ ms }: { ms: number | undefined }) {
  const now = useNow();
  if (ms === undefined) return <span className="muted">—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatTime(ms)}>
      {formatAgo(ms, now)}
    </time>
  );
}

/** An exact time. */
export function Time({ ms }: { ms: number | undefined }) {
  if (ms === undefined) return <span className="muted">—</span>;
  return <time dateTime={new Date(ms).toISOString()}>{formatTime(ms)}</time>;
}

/** A badge for a state's look (label and colour). */
export function LookBadge({ look, title }: { look: Look; title?: string }) {
  return (
    <Badge tone={look.tone} {...(title === undefined ? {} : { title })}>
      {look.label}
    </Badge>
  );
}

/** A pretty-printed JSON value. */
export function JsonBlock({ value }: { value: unknown }) {
  return <pre className="code">{formatJson(value)}</pre>;
}

/** A definition list of label/value rows. */
export function Facts({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Tabs that set one query parameter. */
export function FilterTabs<T extends string>({
  options,
  value,
  onChange,
  label,
}: {
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  label: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          role="tab"
          aria-selected={option.value === value}
          className={option.value === value ? 'tab active' : 'tab'}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
