import type { FormEvent } from 'react';
import type { TranscriptHit, TranscriptKind } from '../api/api-types';
import { HighlightedText } from '../components/highlighted-text';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { formatOffset, humanize } from '../lib/format';
import { routeHref, type Route } from '../lib/route';
import { formText } from '../lib/form-text';

const KINDS: { value: TranscriptKind | ''; label: string }[] = [
  { value: '', label: 'All text' },
  { value: 'asr', label: 'Speech (ASR)' },
  { value: 'ocr', label: 'On-screen text (OCR)' },
  { value: 'subtitle', label: 'Subtitles' },
];
/** Characters shown around the first hit of a long transcript. */
const EXCERPT = 260;

/** Full-text search over what was said and shown in streams, Chinese included, hits highlighted. */
export function SearchPage({ route }: { route: Route }) {
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
      <PageHeader
        title="Transcript search"
        subtitle="Find words spoken or shown in streams: speech recognition, on-screen text and subtitles."
      />
      <form className="filters search-form" onSubmit={search} key={`${q}|${kind}|${streamId}`}>
        <label className="grow">
          Words
          <input name="q" type="search" defaultValue={q} placeholder="e.g. 直播 or welcome" autoFocus />
        </label>
        <label>
          In
          <select name="kind" defaultValue={kind}>
            {KINDS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stream
          <input name="stream_id" defaultValue={streamId} placeholder="any stream" />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <div className="panel">
        {q === '' && (
          <EmptyState title="Type some words to search">
            Chinese works too: a two-character word is enough.
          </EmptyState>
        )}
        {q !== '' && list.query.isPending && <Loading what="Searching" />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {q !== '' && list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={`No transcript contains “${q}”`}>Try fewer or other words.</EmptyState>
        )}
        {q !== '' && list.items.length > 0 && (
          <ul className="transcripts">
            {list.items.map((hit, position) => (
              <li key={`${hit.eventId}-${position}`} className="transcript">
                <div className="hit-line small">
                  <Badge tone="info">{humanize(hit.kind)}</Badge>
                  {hit.streamId !== undefined && (
                    <a href={routeHref({ page: 'stream', id: hit.streamId })}>stream {hit.streamId}</a>
                  )}
                  {hit.startMs !== undefined && (
                    <span className="muted">
                      {formatOffset(hit.startMs)}
                      {hit.endMs !== undefined ? `–${formatOffset(hit.endMs)}` : ''} into the stream
                    </span>
                  )}
                  <TimeAgo ms={hit.occurredAt} />
                  <a href={routeHref({ page: 'event', id: hit.eventId })}>event</a>
                </div>
                <p className="transcript-text">
                  <HighlightedText text={hit.text} ranges={hit.highlights} width={EXCERPT} />
                </p>
              </li>
            ))}
          </ul>
        )}
        {q !== '' && list.items.length > 0 && (
          <LoadMore
            hasMore={list.hasMore}
            loading={list.loadingMore}
            onMore={list.loadMore}
            count={list.items.length}
          />
        )}
      </div>
    </>
  );
}
