import type { CustomerSummary } from '../../../shared/contract';
import { formatNationalPhone } from '../../../shared/phone';
import { Money } from '../../components/Money';

export function formatDay(at: number | null): string {
  return at === null
    ? '—'
    : new Date(at).toLocaleDateString('en-NG', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** One customer in the book or in search results: the same layout everywhere. */
export function CustomerRowCells({ customer }: { customer: CustomerSummary }) {
  return (
    <>
      <span className="cell-name">
        {customer.displayName}
        {customer.archived && <span className="badge">Archived</span>}
      </span>
      <span className="cell-phone">
        {formatNationalPhone(customer.phoneNational)}
        {customer.carrier !== null && <small className="muted"> {customer.carrier}</small>}
      </span>
      <span className={`cell-tier tier-${customer.tier}`}>{customer.tier}</span>
      <span className="cell-number">{customer.pointsBalance.toLocaleString('en-NG')}</span>
      <span className="cell-number">
        <Money kobo={customer.totalSpentKobo} />
      </span>
      <span className="cell-date">{formatDay(customer.lastPurchaseAt)}</span>
    </>
  );
}
