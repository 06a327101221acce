import { useState } from 'react';
import { safeUrl } from '../lib/safe-url';

/**
 * An image from Tencent's storage (screenshots, flagged frames). Such links expire or need the bucket's
 * permission: a broken one shows a calm placeholder instead of the browser's broken-image icon.
 */
export function Thumbnail({
  url: given,
  alt,
  size = 'small',
}: {
  url: string | undefined;
  alt: string;
  size?: 'small' | 'medium' | 'large';
}) {
  const [failed, setFailed] = useState(false);
  const url = safeUrl(given);
  if (url === undefined || failed) {
    return (
      <div className={`thumb thumb-${size} thumb-missing`} title={given || 'no image'}>
        <span>{given === undefined || given === '' ? 'no image' : 'image unavailable'}</span>
      </div>
    );
  }
  return (
    <a
      className={`thumb thumb-${size}`}
      href={url}
      target="_blank"
      rel="noreferrer noopener"
      title="Open the image"
    >
      <img src={url} alt={alt} loading="lazy" referrerPolicy="no-referrer" onError={() => setFailed(true)} />
    </a>
  );
}
