import { formatNaira } from '../../shared/money';

/** An amount in kobo, shown as naira; negative amounts are marked for screen readers too. */
export function Money({ kobo, className }: { kobo: number; className?: string }) {
  return (
    <span className={className === undefined ? 'money' : `money ${className}`}>{formatNaira(kobo)}</span>
  );
}
