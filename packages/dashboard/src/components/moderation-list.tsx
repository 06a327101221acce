import type { ModerationItem } from '../api/api-types';
import { formatScore } from '../lib/format';
import { routeHref } from '../lib/route';
import { reviewStatusLook, suggestionLook } from '../lib/tones';
import { Thumbnail } from './thumbnail';
import { LookBadge, TimeAgo } from './ui';

/** Moderation hits as cards: what was flagged, why, and the review state. */
export function ModerationList({ items }: { items: readonly ModerationItem[] }) {
  return (
    <ul className="hit-list">
      {items.map((item) => (
        <li key={item.id} className="hit">
          {item.mediaType === 'image' ? (
            <Thumbnail url={item.mediaUrl} alt={`flagged image, ${item.labels.join(', ')}`} />
          ) : (
            <div className="thumb thumb-small thumb-missing">
              <span>{item.mediaType}</span>
            </div>
          )}
          <div className="hit-body">
            <div className="hit-line">
              <LookBadge look={suggestionLook(item.suggestion)} />
              <strong>{item.labels.length > 0 ? item.labels.join(', ') : 'No label'}</strong>
              {item.score !== undefined && <span className="muted">score {formatScore(item.score)}</span>}
            </div>
            {item.text !== undefined && item.text !== '' && <div className="hit-text">“{item.text}”</div>}
            <div className="hit-line small">
              <LookBadge look={reviewStatusLook(item.status)} />
              <TimeAgo ms={item.occurredAt} />
              <a href={routeHref({ page: 'event', id: item.eventId })}>event</a>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
