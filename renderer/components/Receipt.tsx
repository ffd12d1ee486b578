/**
 * A sale's receipt on screen and on paper: an 80 mm thermal layout or A4. Printing shows only
 * the receipt (see @media print in sell.css); the desktop app prints through Electron, the
 * browser through window.print(). The text version goes to WhatsApp.
 */
import { useState } from 'react';
import { PAYMENT_METHOD_LABELS, type Sale } from '../../shared/contract';
import { formatNaira } from '../../shared/money';
import { formatNationalPhone } from '../../shared/phone';
import { kasuwa } from '../bridge';
import { call, useAppStore } from '../state/app-store';

function dateTime(at: number): string {
  return new Date(at).toLocaleString('en-NG', {
    timeZone: 'Africa/Lagos',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function Receipt({ sale, footer }: { sale: Sale; footer?: string }) {
  const business = useAppStore((state) => state.business);
  const showToast = useAppStore((state) => state.showToast);
  const [paper, setPaper] = useState<'80mm' | 'a4'>('80mm');
  const [text, setText] = useState<string | null>(null);

  const print = async () => {
    document.body.dataset.paper = paper;
    const answer = await kasuwa.printing.print({ paper });
    if (!answer.ok) {
      if (answer.error.code === 'unavailable') window.print();
      else showToast('error', answer.error.message);
    }
  };
  const share = async () => {
    const answer = await call(kasuwa.sales.receiptText({ id: sale.id }));
    if (answer.ok) setText(answer.value);
  };
  const whatsappNumber = sale.customer === null ? '' : `234${sale.customer.phoneNational.slice(1)}`;

  return (
    <section className="receipt-panel" aria-label={`Receipt ${sale.receiptNumber}`}>
      <div className="receipt-actions no-print">
        <fieldset className="paper-choice">
          <legend>Paper</legend>
          <label className="inline-check">
            <input type="radio" name="paper" checked={paper === '80mm'} onChange={() => setPaper('80mm')} />
            80 mm roll
          </label>
          <label className="inline-check">
            <input type="radio" name="paper" checked={paper === 'a4'} onChange={() => setPaper('a4')} />
            A4
          </label>
        </fieldset>
        <button type="button" className="primary" onClick={() => void print()}>
          Print receipt
        </button>
        <button type="button" onClick={() => void share()}>
          Share on WhatsApp
        </button>
      </div>
      {text !== null && (
        <div className="no-print share-box">
          <pre aria-label="Receipt as text">{text}</pre>
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard.writeText(text).then(() => showToast('success', 'Receipt copied.'))
            }
          >
            Copy text
          </button>
          <a
            className="button"
            href={`https://wa.me/${whatsappNumber}?text=${encodeURIComponent(text)}`}
            target="_blank"
            rel="noreferrer"
          >
            Open WhatsApp
          </a>
        </div>
      )}
      <article className={`receipt receipt-${paper}`} data-testid="receipt">
        <header>
          <strong>{business?.name ?? 'Kasuwa'}</strong>
          {business !== null && business.address !== '' && <span>{business.address}</span>}
          {business !== null && <span>{formatNationalPhone(`0${business.phone.slice(4)}`)}</span>}
        </header>
        <p>
          Receipt <strong>{sale.receiptNumber}</strong>
          <br />
          {dateTime(sale.createdAt)} · {sale.staffName}
          {sale.customer !== null && (
            <>
              <br />
              Customer: {sale.customer.displayName}
            </>
          )}
        </p>
        <table>
          <tbody>
            {sale.lines.map((line) => (
              <tr key={line.id}>
                <td>
                  {line.name}
                  <br />
                  <small>
                    {line.quantity} × {formatNaira(line.unitPriceKobo)}
                    {line.discountKobo > 0 && ` − ${formatNaira(line.discountKobo)}`}
                    {line.refundedQuantity > 0 && ` (${line.refundedQuantity} returned)`}
                  </small>
                </td>
                <td className="amount">{formatNaira(line.totalKobo)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {sale.discountKobo > 0 && (
              <tr>
                <td>Discount</td>
                <td className="amount">−{formatNaira(sale.discountKobo)}</td>
              </tr>
            )}
            <tr className="total">
              <td>Total</td>
              <td className="amount">{formatNaira(sale.totalKobo)}</td>
            </tr>
            {sale.payments.map((payment) => (
              <tr key={payment.id}>
                <td>
                  {PAYMENT_METHOD_LABELS[payment.method]}
                  {payment.tenderedKobo !== null && ` (given ${formatNaira(payment.tenderedKobo)})`}
                </td>
                <td className="amount">{formatNaira(payment.amountKobo)}</td>
              </tr>
            ))}
            {sale.changeKobo > 0 && (
              <tr>
                <td>Change</td>
                <td className="amount">{formatNaira(sale.changeKobo)}</td>
              </tr>
            )}
            {sale.refunds.map((refund) => (
              <tr key={refund.id}>
                <td>
                  {refund.kind === 'void' ? 'Voided' : 'Refunded'} ({PAYMENT_METHOD_LABELS[refund.method]},
                  approved by {refund.approvedByName})
                </td>
                <td className="amount">−{formatNaira(refund.amountKobo)}</td>
              </tr>
            ))}
          </tfoot>
        </table>
        {sale.customer !== null && (
          <p>
            Points earned: {sale.pointsEarned} · Balance: {sale.customer.pointsBalance} · {sale.customer.tier}
            {sale.tierChange !== null && (
              <>
                <br />
                New tier: {sale.tierChange.to}!
              </>
            )}
          </p>
        )}
        {footer !== undefined && footer !== '' && <footer>{footer}</footer>}
      </article>
    </section>
  );
}
