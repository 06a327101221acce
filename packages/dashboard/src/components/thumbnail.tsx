import { useState } from 'react';
import { useT } from '../i18n/i18n-context';
import { safeUrl } from '../lib/safe-url';

/**
 * An image from Tencent's storage (screenshots, flagged frames). Such links expire or need the bucket's
 * permission: a broken one shows a calm placeholder instead of the browser's broken-image icon. A
 * `blurred` image (flagged content) stays blurred until someone chooses to see it; `linked` makes it open
 * the full image (off inside a row that is itself a control, which must not hold another one).
 */
export function Thumbnail({
  url: given,
  alt,
  size = 'small',
  blurred = false,
  linked = true,
  onUnavailable,
}: {
  url: string | undefined;
  alt: string;
  size?: 'small' | 'medium' | 'large';
  blurred?: boolean;
  linked?: boolean;
  /** Called when the image cannot be loaded (an expired or private link). */
  onUnavailable?: () => void;
}) {
  const { t } = useT();
  const [failed, setFailed] = useState(false);
  const url = safeUrl(given);
  if (url === undefined || failed) {
    return (
      <div className={`thumb thumb-${size} thumb-missing`} title={given || t('media.noImage')}>
        <span>{given === undefined || given === '' ? t('media.noImage') : t('media.unavailable')}</span>
      </div>
    );
  }
  const image = (
    <img
      src={url}
      alt={alt}
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => {
        setFailed(true);
        onUnavailable?.();
      }}
    />
  );
  const className = `thumb thumb-${size}${blurred ? ' blurred' : ''}`;
  if (!linked || blurred) return <div className={className}>{image}</div>;
  return (
    <a className={className} href={url} target="_blank" rel="noreferrer noopener" title={t('media.open')}>
      {image}
    </a>
  );
}

/**
 * A flagged image, blurred until someone presses "Show image" (or the `v` key in the review queue), so
 * explicit content is never shown to whoever happens to look at the screen.
 */
export function FlaggedImage({
  url,
  alt,
  size = 'large',
  revealed,
  onReveal,
}: {
  url: string | undefined;
  alt: string;
  size?: 'medium' | 'large';
  revealed: boolean;
  onReveal: (revealed: boolean) => void;
}) {
  const { t } = useT();
  const [failed, setFailed] = useState(false);
  const usable = safeUrl(url) !== undefined && !failed;
  return (
    <div className="flagged-image">
      <Thumbnail url={url} alt={alt} size={size} blurred={!revealed} onUnavailable={() => setFailed(true)} />
      {usable && (
        <div className="flagged-image-bar">
          {!revealed && <span className="muted small">{t('media.blurred')}</span>}
          <button type="button" aria-pressed={revealed} onClick={() => onReveal(!revealed)}>
            {revealed ? t('media.hide') : t('media.show')}
          </button>
        </div>
      )}
    </div>
  );
}
