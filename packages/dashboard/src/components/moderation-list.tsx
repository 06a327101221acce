import type { ModerationItem } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import { formatScore } from '../lib/format';
import { routeHref } from '../lib/route';
import { reviewStatusLook, suggestionLook } from '../lib/tones';
import { Thumbnail } from './thumbnail';
import { LookBadge, TimeAgo } from './ui';

/** Moderation hits as cards: what was flagged (images blurred), why, and the review state. */
export function ModerationList({ items }: { items: readonly ModerationItem[] }) {
  const { t, labels } = useT();
  return (
    <ul className="hit-list">
      {items.map((item) => (
        <li key={item.id} className="hit">
          {item.mediaType === 'image' ? (
            <Thumbnail
              url={item.mediaUrl}
              alt={t('moderation.flaggedImage', { labels: labels(item.labels) })}
              blurred
            />
          ) : (
            <div className="thumb thumb-small thumb-missing">
              <span>{t(`media.${item.mediaType}`)}</span>
            </div>
          )}
          <div className="hit-body">
            <div className="hit-line">
              <LookBadge look={suggestionLook(item.suggestion)} />
              <strong>{item.labels.length > 0 ? labels(item.labels) : t('moderation.noLabel')}</strong>
              {item.score !== undefined && (
                <span className="muted">{t('moderation.score', { score: formatScore(item.score) })}</span>
              )}
            </div>
            {item.text !== undefined && item.text !== '' && <div className="hit-text">“{item.text}”</div>}
            <div className="hit-line small">
              <LookBadge look={reviewStatusLook(item.status)} />
              <TimeAgo ms={item.occurredAt} />
              <a href={routeHref({ page: 'event', id: item.eventId })}>{t('moderation.event')}</a>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
