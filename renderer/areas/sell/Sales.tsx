/** Sales of the shop, newest first; one sale's receipt, and its refund or void with a manager PIN. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  PAYMENT_METHOD_LABELS,
  PAYMENT_METHODS,
  type PaymentMethod,
  type Sale,
  type SaleSummary,
} from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { Money } from '../../components/Money';
import { PinDialog } from '../../components/PinDialog';
import { Receipt } from '../../components/Receipt';
import { call, useAppStore } from '../../state/app-store';

const PAGE = 50;

export function SalesList() {
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; rows: SaleSummary[] }>({ total: 0, rows: [] });
  useEffect(() => {
    void call(kasuwa.sales.list({ offset: page * PAGE, limit: PAGE })).then(
      (answer) => answer.ok && setData(answer.value),
    );
  }, [page]);
  return (
    <section aria-label="Sales">
      <table>
        <thead>
          <tr>
            <th scope="col">Receipt</th>
            <th scope="col">Time</th>
            <th scope="col">Cashier</th>
            <th scope="col">Customer</th>
            <th scope="col">Total</th>
            <th scope="col">Refunded</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((sale) => (
            <tr key={sale.id}>
              <td>
                <Link to={`/sell/sales/${sale.id}`}>{sale.receiptNumber}</Link>
                {sale.riskScore > 0 && <span className="badge">Review</span>}
              </td>
              <td>{new Date(sale.createdAt).toLocaleString('en-NG')}</td>
              <td>{sale.staffName}</td>
              <td>{sale.customerName ?? '—'}</td>
              <td>
                <Money kobo={sale.totalKobo} />
              </td>
              <td>{sale.refundedKobo === 0 ? '—' : <Money kobo={sale.refundedKobo} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Newer
        </button>
        <span className="muted">
          {data.total === 0
            ? 'No sales yet'
            : `${page * PAGE + 1}–${Math.min(data.total, (page + 1) * PAGE)} of ${data.total}`}
        </span>
        <button type="button" disabled={(page + 1) * PAGE >= data.total} onClick={() => setPage(page + 1)}>
          Older
        </button>
      </div>
    </section>
  );
}

export function SaleView() {
  const { id = '' } = useParams();
  const showToast = useAppStore((state) => state.showToast);
  const [sale, setSale] = useState<Sale | null>(null);
  const [kind, setKind] = useState<'refund' | 'void' | null>(null);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);

  const load = useCallback(() => {
    void call(kasuwa.sales.get({ id })).then((answer) => answer.ok && setSale(answer.value));
  }, [id]);
  useEffect(load, [load]);
  if (sale === null) return <p aria-busy="true">Loading…</p>;

  const remaining = sale.lines.filter((line) => line.quantity > line.refundedQuantity);
  const refund = async (approverPin: string) => {
    if (kind === null) return false;
    const lines = Object.entries(quantities)
      .filter(([, quantity]) => quantity > 0)
      .map(([saleLineId, quantity]) => ({ saleLineId, quantity }));
    const answer = await call(
      kasuwa.sales.refund({
        saleId: sale.id,
        kind,
        lines: kind === 'void' ? [] : lines,
        method,
        reason,
        approverPin,
      }),
    );
    if (!answer.ok) return false;
    setSale(answer.value);
    setKind(null);
    setAsking(false);
    showToast('success', kind === 'void' ? 'Sale voided.' : 'Refund recorded.');
    return true;
  };

  return (
    <div className="sale-view">
      <div>
        <Receipt sale={sale} />
      </div>
      <section className="panel no-print" aria-label="Refund or void">
        <h2>Give money back</h2>
        {remaining.length === 0 ? (
          <p className="muted">Everything on this sale has been refunded.</p>
        ) : kind === null ? (
          <div className="toolbar">
            <button type="button" onClick={() => setKind('refund')}>
              Refund
            </button>
            {sale.refunds.length === 0 && (
              <button type="button" onClick={() => setKind('void')}>
                Void sale
              </button>
            )}
          </div>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              setAsking(true);
            }}
          >
            {kind === 'refund' && (
              <fieldset>
                <legend>What comes back (leave all empty to refund everything)</legend>
                {remaining.map((line) => (
                  <div className="field" key={line.id}>
                    <label htmlFor={`refund-${line.id}`}>
                      {line.name} (up to {line.quantity - line.refundedQuantity})
                    </label>
                    <input
                      id={`refund-${line.id}`}
                      inputMode="numeric"
                      value={quantities[line.id] ?? ''}
                      onChange={(e) =>
                        setQuantities({ ...quantities, [line.id]: Number(e.target.value.replace(/\D/g, '')) })
                      }
                    />
                  </div>
                ))}
              </fieldset>
            )}
            <div className="field">
              <label htmlFor="refund-method">Money goes back by</label>
              <select
                id="refund-method"
                value={method}
                onChange={(e) => setMethod(e.target.value as PaymentMethod)}
              >
                {PAYMENT_METHODS.filter((m) => m !== 'points' || sale.customer !== null).map((m) => (
                  <option key={m} value={m}>
                    {PAYMENT_METHOD_LABELS[m]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="refund-reason">Reason</label>
              <input
                id="refund-reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                minLength={3}
              />
            </div>
            <button type="submit" className="primary">
              {kind === 'void' ? 'Void this sale' : 'Refund these items'}
            </button>
            <button type="button" onClick={() => setKind(null)}>
              Cancel
            </button>
          </form>
        )}
      </section>
      {asking && (
        <PinDialog
          title="Manager approval"
          label="Manager or owner PIN"
          onPin={refund}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}
