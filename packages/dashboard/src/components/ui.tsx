import { useEffect, type ReactNode } from 'react';
import { ApiError } from '../api/api-client';
import { useNow } from '../hooks/use-now';
import { useT } from '../i18n/i18n-context';
import { formatJson } from '../lib/format';
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

/**
 * A page's title row, with optional controls on the right. `documentTitle` names the page in the browser's
 * tab and history (default: the title when it is text).
 */
export function PageHeader({
  title,
  subtitle,
  documentTitle,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  documentTitle?: string;
  children?: ReactNode;
}) {
  usePageTitle(documentTitle ?? (typeof title === 'string' ? title : undefined));
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

/** Names the page in the browser's tab: `<page> · livehooks`. */
export function usePageTitle(page: string | undefined): void {
  const { t } = useT();
  useEffect(() => {
    if (page !== undefined) document.title = t('app.title', { page });
  }, [page, t]);
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

/** A failed request in words, with the gateway's stable error code. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useT();
  let message: string;
  if (error instanceof ApiError) {
    if (error.code === 'LH_ERR_NETWORK') message = t('error.network');
    else if (error.status === 401) message = t('error.unauthorized');
    else if (error.status === 404) message = t('error.notFound');
    else if (error.status === 400) message = t('error.invalidQuery', { message: error.message });
    else message = t('error.other', { message: error.message });
  } else {
    message = t('error.unexpected', { message: error instanceof Error ? error.message : String(error) });
  }
  return (
    <div className="notice notice-bad" role="alert">
      {message}
      {error instanceof ApiError && error.status > 0 && <span className="muted"> ({error.code})</span>}
    </div>
  );
}

/** Loading placeholder. */
export function Loading({ what }: { what?: string }) {
  const { t } = useT();
  return (
    <div className="loading" role="status">
      {what ?? t('ui.loading')}…
    </div>
  );
}

/** The "load more" footer of a cursor-paginated list. */
export function LoadMore({
  list,
  count = list.items.length,
}: {
  /** A list of `useCursorList`. */
  list: { items: readonly unknown[]; hasMore: boolean; loadingMore: boolean; loadMore: () => void };
  /** How many items are shown, when not all of the list's. */
  count?: number;
}) {
  const { hasMore, loadingMore: loading, loadMore: onMore } = list;
  const { t } = useT();
  return (
    <div className="load-more">
      <span className="muted">{hasMore ? t('ui.shown', { count }) : t('ui.shownAll', { count })}</span>
      {hasMore && (
        <button type="button" onClick={onMore} disabled={loading}>
          {loading ? t('ui.loadingMore') : t('ui.loadMore')}
        </button>
      )}
    </div>
  );
}

/** A time as "5 min ago", the exact time (with its zone) on hover. */
export function TimeAgo({ ms }: { ms: number | undefined }) {
  const now = useNow();
  const { ago, time } = useT();
  if (ms === undefined) return <span className="muted">—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={time(ms)}>
      {ago(ms, now)}
    </time>
  );
}

/** An exact time, with its zone. */
export function Time({ ms }: { ms: number | undefined }) {
  const { time } = useT();
  if (ms === undefined) return <span className="muted">—</span>;
  return <time dateTime={new Date(ms).toISOString()}>{time(ms)}</time>;
}

/** A badge for a state's look (words and colour). */
export function LookBadge({ look, title }: { look: Look; title?: string }) {
  const { t } = useT();
  return (
    <Badge tone={look.tone} {...(title === undefined ? {} : { title })}>
      {t(look.label)}
    </Badge>
  );
}

/** A pretty-printed JSON value; it takes the focus so the keyboard can scroll it. */
export function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre className="code" tabIndex={0}>
      {formatJson(value)}
    </pre>
  );
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
