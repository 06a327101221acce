import type { Rejection } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import { HeadersTable } from './headers-table';

/** A refused callback's headers and the start of its body, as received. */
export function RejectionDetails({ rejection }: { rejection: Rejection }) {
  const { t } = useT();
  return (
    <div className="grid-2">
      <div>
        <h3>{t('rejections.headers')}</h3>
        <HeadersTable headers={rejection.headers} />
      </div>
      <div>
        <h3>{t('rejections.bodyStart')}</h3>
        <pre className="code raw" tabIndex={0}>
          {rejection.bodyPrefix || t('rejections.emptyBody')}
        </pre>
      </div>
    </div>
  );
}
