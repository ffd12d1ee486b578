/** The plain-text receipt, for WhatsApp: monospace-friendly, under 40 columns, pure. */
import { PAYMENT_METHOD_LABELS, type Sale } from '../../../shared/contract';
import { lagosDay } from '../../../shared/lagos-time';
import { formatNaira } from '../../../shared/money';
import { formatNationalPhone } from '../../../shared/phone';

const WIDTH = 36;

function row(left: string, right: string): string {
  const space = Math.max(1, WIDTH - left.length - right.length);
  return left.length + right.length + 1 > WIDTH
    ? `${left}\n${' '.repeat(Math.max(0, WIDTH - right.length))}${right}`
    : `${left}${' '.repeat(space)}${right}`;
}

function lagosTime(at: number): string {
  const shifted = new Date(at + 3_600_000);
  return `${lagosDay(at)} ${String(shifted.getUTCHours()).padStart(2, '0')}:${String(shifted.getUTCMinutes()).padStart(2, '0')}`;
}

export function receiptText(
  sale: Sale,
  shop: { name: string; phoneNational: string | null; address: string },
  footer: string,
): string {
  const out: string[] = [shop.name.toUpperCase()];
  if (shop.address !== '') out.push(shop.address);
  if (shop.phoneNational !== null) out.push(`Tel: ${formatNationalPhone(shop.phoneNational)}`);
  out.push(
    '-'.repeat(WIDTH),
    `Receipt ${sale.receiptNumber}`,
    lagosTime(sale.createdAt),
    `Served by ${sale.staffName}`,
  );
  if (sale.customer !== null) out.push(`Customer: ${sale.customer.displayName}`);
  out.push('-'.repeat(WIDTH));
  for (const line of sale.lines) {
    out.push(line.name.slice(0, WIDTH));
    out.push(
      row(
        `  ${line.quantity} x ${formatNaira(line.unitPriceKobo)}`,
        formatNaira(line.quantity * line.unitPriceKobo),
      ),
    );
    if (line.discountKobo > 0) out.push(row('  Discount', `-${formatNaira(line.discountKobo)}`));
  }
  out.push('-'.repeat(WIDTH));
  if (sale.discountKobo > 0) {
    out.push(
      row('Subtotal', formatNaira(sale.subtotalKobo)),
      row('Discount', `-${formatNaira(sale.discountKobo)}`),
    );
  }
  out.push(row('TOTAL', formatNaira(sale.totalKobo)));
  for (const payment of sale.payments) {
    out.push(row(PAYMENT_METHOD_LABELS[payment.method], formatNaira(payment.amountKobo)));
  }
  if (sale.changeKobo > 0) out.push(row('Change', formatNaira(sale.changeKobo)));
  for (const refund of sale.refunds) {
    out.push(row(refund.kind === 'void' ? 'VOIDED' : 'Refunded', `-${formatNaira(refund.amountKobo)}`));
  }
  if (sale.customer !== null) {
    out.push(
      '-'.repeat(WIDTH),
      row('Points earned', String(sale.pointsEarned)),
      row('Points balance', String(sale.customer.pointsBalance)),
    );
  }
  if (footer.trim() !== '') out.push('-'.repeat(WIDTH), footer.trim());
  return out.join('\n');
}
