/** End of day (Z-report and closing the drawer), sales reports, and the owner's risk review queue. */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import {
  PAYMENT_METHOD_LABELS,
  type CashierTotal,
  type EndOfDayReport,
  type MethodTotal,
  type PeriodTotal,
  type RiskQueueItem,
  type TopCustomer,
  type TopProduct,
} from '../../../shared/contract';
import { lagosDay, lagosDayRange } from '../../../shared/lagos-time';
import { formatNaira, parseNairaToKobo } from '../../../shared/money';
import { formatNationalPhone } from '../../../shared/phone';
import { kasuwa } from '../../bridge';
import { collectCsvPages, downloadText } from '../../download';
import { Money } from '../../components/Money';
import { PinDialog } from '../../components/PinDialog';
import { call, useAppStore } from '../../state/app-store';

function MethodTable({ rows, caption }: { rows: MethodTotal[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Method</th>
          <th scope="col">Count</th>
          <th scope="col">Amount</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              None
            </td>
          </tr>
        )}
        {rows.map((row) => (
          <tr key={row.method}>
            <td>{PAYMENT_METHOD_LABELS[row.method]}</td>
            <td>{row.count}</td>
            <td>
              <Money kobo={row.amountKobo} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CashierTable({ rows }: { rows: CashierTotal[] }) {
  return (
    <table>
      <caption>By cashier</caption>
      <thead>
        <tr>
          <th scope="col">Cashier</th>
          <th scope="col">Sales</th>
          <th scope="col">Total</th>
          <th scope="col">Refunds</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.staffId}>
            <td>{row.staffName}</td>
            <td>{row.salesCount}</td>
            <td>
              <Money kobo={row.totalKobo} />
            </td>
            <td>
              <Money kobo={row.refundsKobo} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EndOfDay() {
  const [today] = useState(() => lagosDay(Date.now()));
  const [day, setDay] = useState(today);
  const [report, setReport] = useState<EndOfDayReport | null>(null);
  const [counted, setCounted] = useState('');
  const [closing, setClosing] = useState(false);
  const showToast = useAppStore((state) => state.showToast);
  const load = useCallback(() => {
    void call(kasuwa.reports.endOfDay({ day })).then((answer) => answer.ok && setReport(answer.value));
  }, [day]);
  useEffect(load, [load]);
  if (report === null) return <p aria-busy="true">Loading…</p>;
  const countedKobo = parseNairaToKobo(counted);
  const close = async (pin: string) => {
    if (countedKobo === null) return false;
    const answer = await call(kasuwa.reports.closeDay({ day, countedCashKobo: countedKobo, pin }));
    if (!answer.ok) return false;
    setReport(answer.value);
    setClosing(false);
    showToast('success', `${day} is closed.`);
    return true;
  };
  return (
    <section aria-label="End of day" className="z-report">
      <div className="toolbar no-print">
        <div className="field">
          <label htmlFor="z-day">Day</label>
          <input
            id="z-day"
            type="date"
            value={day}
            max={today}
            onChange={(e) => e.target.value !== '' && setDay(e.target.value)}
          />
        </div>
        <button type="button" onClick={() => window.print()}>
          Print Z-report
        </button>
      </div>
      <h2>Z-report for {report.day}</h2>
      <dl className="facts">
        <dt>Sales</dt>
        <dd>{report.salesCount}</dd>
        <dt>Gross</dt>
        <dd>
          <Money kobo={report.grossKobo} />
        </dd>
        <dt>Refunds</dt>
        <dd>
          <Money kobo={report.refundsKobo} />
        </dd>
        <dt>Net</dt>
        <dd>
          <Money kobo={report.netKobo} />
        </dd>
        <dt>Cash expected in the drawer</dt>
        <dd data-testid="expected-cash">
          <Money kobo={report.expectedCashKobo} />
        </dd>
      </dl>
      <div className="report-grid">
        <MethodTable rows={report.byMethod} caption="Payments by method" />
        <MethodTable rows={report.refundsByMethod} caption="Refunds by method" />
        <CashierTable rows={report.byCashier} />
      </div>
      {report.closed === null ? (
        <form
          className="panel no-print"
          onSubmit={(event: SyntheticEvent) => {
            event.preventDefault();
            setClosing(true);
          }}
        >
          <h3>Close the day</h3>
          <div className="field">
            <label htmlFor="z-counted">Cash counted in the drawer (₦)</label>
            <input
              id="z-counted"
              inputMode="decimal"
              value={counted}
              onChange={(e) => setCounted(e.target.value)}
            />
          </div>
          {countedKobo !== null && (
            <p aria-live="polite">
              Difference: <strong>{formatNaira(countedKobo - report.expectedCashKobo)}</strong>
            </p>
          )}
          <button type="submit" className="primary" disabled={countedKobo === null}>
            Close the day
          </button>
        </form>
      ) : (
        <p className="panel" role="status">
          Closed by {report.closed.closedBy}: counted {formatNaira(report.closed.countedCashKobo)}, difference{' '}
          <strong className={report.closed.differenceKobo === 0 ? 'good' : 'bad'}>
            {formatNaira(report.closed.differenceKobo)}
          </strong>
          .
        </p>
      )}
      {closing && (
        <PinDialog title="Close the day" label="Your PIN" onPin={close} onClose={() => setClosing(false)} />
      )}
    </section>
  );
}

export function Reports() {
  const [today] = useState(() => lagosDay(Date.now()));
  const [from, setFrom] = useState(() => lagosDay(Date.now() - 29 * 86_400_000));
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<'day' | 'week' | 'month'>('day');
  const [periods, setPeriods] = useState<PeriodTotal[]>([]);
  const [methods, setMethods] = useState<MethodTotal[]>([]);
  const [cashiers, setCashiers] = useState<CashierTotal[]>([]);
  const [customers, setCustomers] = useState<TopCustomer[]>([]);
  const [products, setProducts] = useState<TopProduct[]>([]);
  const range = { from: lagosDayRange(from).from, to: lagosDayRange(to).to };
  useEffect(() => {
    const r = { from: lagosDayRange(from).from, to: lagosDayRange(to).to };
    void call(kasuwa.reports.salesByPeriod({ ...r, groupBy })).then((a) => a.ok && setPeriods(a.value));
    void call(kasuwa.reports.byMethod(r)).then((a) => a.ok && setMethods(a.value));
    void call(kasuwa.reports.byCashier(r)).then((a) => a.ok && setCashiers(a.value));
    void call(kasuwa.reports.topCustomers({ ...r, limit: 10 })).then((a) => a.ok && setCustomers(a.value));
    void call(kasuwa.reports.topProducts({ ...r, limit: 10 })).then((a) => a.ok && setProducts(a.value));
  }, [from, to, groupBy]);
  const exportCsv = async () => {
    const csv = await collectCsvPages((offset) =>
      call(kasuwa.reports.exportSalesCsv({ ...range, offset, limit: 20_000 })),
    );
    if (csv !== null) downloadText(`kasuwa-sales-${from}-to-${to}.csv`, csv);
  };
  return (
    <section aria-label="Reports">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="report-from">From</label>
          <input
            id="report-from"
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value !== '' && setFrom(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="report-to">To</label>
          <input
            id="report-to"
            type="date"
            value={to}
            min={from}
            max={today}
            onChange={(e) => e.target.value !== '' && setTo(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="report-group">Group by</label>
          <select
            id="report-group"
            value={groupBy}
            onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}
          >
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <button type="button" onClick={() => void exportCsv()}>
          Export sales CSV
        </button>
      </div>
      <table>
        <caption>Sales by {groupBy}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Sales</th>
            <th scope="col">Gross</th>
            <th scope="col">Refunds</th>
            <th scope="col">Net</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((row) => (
            <tr key={row.period}>
              <td>{row.period}</td>
              <td>{row.salesCount}</td>
              <td>
                <Money kobo={row.grossKobo} />
              </td>
              <td>
                <Money kobo={row.refundsKobo} />
              </td>
              <td>
                <Money kobo={row.netKobo} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="report-grid">
        <MethodTable rows={methods} caption="By payment method" />
        <CashierTable rows={cashiers} />
        <table>
          <caption>Top customers</caption>
          <tbody>
            {customers.map((row) => (
              <tr key={row.customerId}>
                <td>
                  <Link to={`/customers/${row.customerId}`}>{row.displayName}</Link>
                  <br />
                  <small className="muted">{formatNationalPhone(row.phoneNational)}</small>
                </td>
                <td>{row.salesCount}</td>
                <td>
                  <Money kobo={row.totalKobo} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>Top products</caption>
          <tbody>
            {products.map((row) => (
              <tr key={row.productId ?? row.name}>
                <td>{row.name}</td>
                <td>{row.quantity}</td>
                <td>
                  <Money kobo={row.totalKobo} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function RiskQueue() {
  const [status, setStatus] = useState<'open' | 'cleared' | 'confirmed'>('open');
  const [items, setItems] = useState<RiskQueueItem[]>([]);
  const [reviewing, setReviewing] = useState<{ saleId: string; status: 'cleared' | 'confirmed' } | null>(
    null,
  );
  const load = useCallback(() => {
    void call(kasuwa.risk.queue({ status, offset: 0, limit: 100 })).then(
      (answer) => answer.ok && setItems(answer.value.rows),
    );
  }, [status]);
  useEffect(load, [load]);
  const review = async (ownerPin: string) => {
    if (reviewing === null) return false;
    const answer = await call(kasuwa.risk.review({ ...reviewing, note: '', ownerPin }));
    if (!answer.ok) return false;
    setReviewing(null);
    load();
    return true;
  };
  return (
    <section aria-label="Risk review">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="risk-status">Show</label>
          <select
            id="risk-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
          >
            <option value="open">Waiting for review</option>
            <option value="cleared">Cleared</option>
            <option value="confirmed">Confirmed as a problem</option>
          </select>
        </div>
      </div>
      {items.length === 0 && <p className="muted">Nothing here.</p>}
      <ul className="plain-list">
        {items.map((item) => (
          <li key={item.sale.id} className="risk-item">
            <p>
              <Link to={`/sell/sales/${item.sale.id}`}>{item.sale.receiptNumber}</Link> ·{' '}
              <Money kobo={item.sale.totalKobo} /> · {item.sale.staffName}
              {item.sale.customerName !== null && ` · ${item.sale.customerName}`} · score{' '}
              {item.sale.riskScore}
            </p>
            <ul>
              {item.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
            {item.status === 'open' && (
              <div className="toolbar">
                <button
                  type="button"
                  onClick={() => setReviewing({ saleId: item.sale.id, status: 'cleared' })}
                >
                  Clear
                </button>
                <button
                  type="button"
                  onClick={() => setReviewing({ saleId: item.sale.id, status: 'confirmed' })}
                >
                  Confirm a problem
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {reviewing !== null && (
        <PinDialog title="Owner review" label="Owner PIN" onPin={review} onClose={() => setReviewing(null)} />
      )}
    </section>
  );
}
