import type { FormEvent } from 'react';
import type { TranscriptHit, TranscriptKind } from '../api/api-types';
import { HighlightedText } from '../components/highlighted-text';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { formatOffset } from '../lib/format';
import { routeHref, type Route } from '../lib/route';
import { formText } from '../lib/form-text';

const KINDS: { value: TranscriptKind | ''; label: PlainKey }[] = [
  { value: '', label: 'search.kind.all' },
  { value: 'asr', label: 'search.kind.asr' },
  { value: 'ocr', label: 'search.kind.ocr' },
  { value: 'subtitle', label: 'search.kind.subtitle' },
];
/** Characters shown around the first hit of a long transcript. */
const EXCERPT = 260;

/** Full-text search over what was said and shown in streams, Chinese included, hits highlighted. */
export function SearchPage({ route }: { route: Route }) {
  const { t } = useT();
  const q = route.query.q ?? '';
  const kind = route.query.kind ?? '';
  const streamId = route.query.stream_id ?? '';
  const list = useCursorList<TranscriptHit>(
    '/transcripts',
    { q, kind, stream_id: streamId },
    { enabled: q !== '' },
  );

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate({
      page: 'search',
      query: {
        q: formText(form, 'q'),
        kind: formText(form, 'kind'),
        stream_id: formText(form, 'stream_id'),
      },
    });
  };

  return (
    <>
      <PageHeader title={t('search.title')} subtitle={t('search.subtitle')} />
      <form className="filters search-form" onSubmit={search} key={`${q}|${kind}|${streamId}`}>
        <label className="grow">
          {t('search.words')}
          <input name="q" type="search" defaultValue={q} placeholder={t('search.placeholder')} autoFocus />
        </label>
        <label>
          {t('search.in')}
          <select name="kind" defaultValue={kind}>
            {KINDS.map((option) => (
              <option key={option.value} value={option.value}>
                {t(option.label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.stream')}
          <input name="stream_id" defaultValue={streamId} placeholder={t('search.anyStream')} />
        </label>
        <button type="submit" className="primary">
          {t('search.submit')}
        </button>
      </form>
      <div className="panel">
        {q === '' && <EmptyState title={t('search.empty')}>{t('search.emptyHint')}</EmptyState>}
        {q !== '' && list.query.isPending && <Loading what={t('search.searching')} />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {q !== '' && list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={t('search.none', { q })}>{t('search.noneHint')}</EmptyState>
        )}
        {q !== '' && list.items.length > 0 && (
          <ul className="transcripts">
            {list.items.map((hit, position) => (
              <li key={`${hit.eventId}-${position}`} className="transcript">
                <div className="hit-line small">
                  <Badge tone="info">{t(`search.kind.${hit.kind}`)}</Badge>
                  {hit.streamId !== undefined && (
                    <a href={routeHref({ page: 'stream', id: hit.streamId })} className="id-text">
                      {t('subject.stream', { id: hit.streamId })}
                    </a>
                  )}
                  {hit.startMs !== undefined && (
                    <span className="muted">
                      {t('search.into', {
                        range: `${formatOffset(hit.startMs)}${hit.endMs !== undefined ? `–${formatOffset(hit.endMs)}` : ''}`,
                      })}
                    </span>
                  )}
                  <TimeAgo ms={hit.occurredAt} />
                  <a href={routeHref({ page: 'event', id: hit.eventId })}>{t('moderation.event')}</a>
                </div>
                <p className="transcript-text">
                  <HighlightedText text={hit.text} ranges={hit.highlights} width={EXCERPT} />
                </p>
              </li>
            ))}
          </ul>
        )}
        {q !== '' && list.items.length > 0 && <LoadMore list={list} />}
      </div>
    </>
  );
}
