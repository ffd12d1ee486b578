/** One customer: details, totals, consent per channel, purchases, points and messages; merge and archive. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  CONTACT_CHANNELS,
  type ConsentEntry,
  type Customer,
  type CustomerPurchase,
  type CustomerSummary,
  type PointsEntry,
} from '../../../shared/contract';
import { formatNationalPhone, parseNigerianPhone } from '../../../shared/phone';
import { kasuwa } from '../../bridge';
import { AreaHeader } from '../../components/AreaHeader';
import { Modal } from '../../components/Modal';
import { Money } from '../../components/Money';
import { call, useAppStore } from '../../state/app-store';
import { CHANNEL_LABELS, CONSENT_WORDING } from './CustomerForm';
import { CustomerRowCells, formatDay } from './CustomerRow';

function phoneText(e164: string | null): string {
  if (e164 === null) return '—';
  const parsed = parseNigerianPhone(e164);
  return parsed.ok
    ? `${formatNationalPhone(parsed.national)}${parsed.carrier === null ? '' : ` (${parsed.carrier}, may be ported)`}`
    : e164;
}

function MergeDialog({
  customer,
  onMerged,
  onClose,
}: {
  customer: Customer;
  onMerged: (kept: Customer) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CustomerSummary[]>([]);
  const [other, setOther] = useState<CustomerSummary | null>(null);
  useEffect(() => {
    if (query.trim() === '') return;
    let current = true;
    void kasuwa.customers.search({ query, limit: 10 }).then((answer) => {
      if (current && answer.ok) setResults(answer.value.filter((c) => c.id !== customer.id));
    });
    return () => {
      current = false;
    };
  }, [query, customer.id]);
  const merge = async () => {
    if (other === null) return;
    const answer = await call(kasuwa.customers.merge({ keepId: customer.id, mergeId: other.id }));
    if (answer.ok) onMerged(answer.value);
  };
  return (
    <Modal title={`Merge another customer into ${customer.displayName}`} open onClose={onClose} wide>
      <div className="field">
        <label htmlFor="merge-search">Find the other customer</label>
        <input
          id="merge-search"
          type="search"
          autoFocus
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <ul className="result-list">
        {results.map((candidate) => (
          <li key={candidate.id}>
            <button
              type="button"
              className={`customer-row row-button${other?.id === candidate.id ? ' active' : ''}`}
              onClick={() => setOther(candidate)}
            >
              <CustomerRowCells customer={candidate} />
            </button>
          </li>
        ))}
      </ul>
      {other !== null && (
        <div className="side-by-side">
          <section>
            <h3>Kept</h3>
            <p>{customer.displayName}</p>
            <p>{phoneText(customer.phone)}</p>
            <p>
              {customer.pointsBalance} points · <Money kobo={customer.totalSpentKobo} />
            </p>
          </section>
          <section>
            <h3>Merged in</h3>
            <p>{other.displayName}</p>
            <p>{formatNationalPhone(other.phoneNational)}</p>
            <p>
              {other.pointsBalance} points · <Money kobo={other.totalSpentKobo} />
            </p>
          </section>
        </div>
      )}
      <p className="muted">
        The kept customer receives the other's purchases, points and consent; the other is archived.
      </p>
      <button type="button" className="primary" disabled={other === null} onClick={() => void merge()}>
        Merge
      </button>
    </Modal>
  );
}

export function CustomerProfile() {
  const { id = '' } = useParams();
  const showToast = useAppStore((state) => state.showToast);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [purchases, setPurchases] = useState<CustomerPurchase[]>([]);
  const [points, setPoints] = useState<PointsEntry[]>([]);
  const [consents, setConsents] = useState<ConsentEntry[]>([]);
  const [merging, setMerging] = useState(false);

  const load = useCallback(() => {
    void call(kasuwa.customers.get({ id })).then((answer) => answer.ok && setCustomer(answer.value));
    void call(kasuwa.customers.purchases({ id, offset: 0, limit: 50 })).then(
      (answer) => answer.ok && setPurchases(answer.value.rows),
    );
    void call(kasuwa.customers.points({ id, offset: 0, limit: 50 })).then(
      (answer) => answer.ok && setPoints(answer.value.rows),
    );
    void call(kasuwa.customers.consentHistory({ id })).then(
      (answer) => answer.ok && setConsents(answer.value),
    );
  }, [id]);
  useEffect(load, [load]);

  if (customer === null) return <p aria-busy="true">Loading…</p>;

  const setConsent = async (channel: (typeof CONTACT_CHANNELS)[number], granted: boolean) => {
    const answer = await call(
      kasuwa.customers.setConsent({
        customerId: id,
        channel,
        granted,
        source: 'counter',
        wording: CONSENT_WORDING,
      }),
    );
    if (answer.ok) load();
  };
  const archive = async () => {
    const answer = await call(kasuwa.customers.archive({ id, archived: !customer.archived }));
    if (answer.ok) {
      setCustomer(answer.value);
      showToast('success', answer.value.archived ? 'Customer archived.' : 'Customer back in the book.');
    }
  };
  const granted = (channel: string) => customer.consents.find((c) => c.channel === channel)?.granted === true;

  return (
    <>
      <AreaHeader title={customer.displayName}>
        {customer.kind === 'business' ? 'Business customer' : 'Customer'} since{' '}
        {formatDay(customer.createdAt)}
        {customer.archived && ' · archived'}
        {customer.mergedIntoId !== null && (
          <>
            {' · merged into '}
            <Link to={`/customers/${customer.mergedIntoId}`}>another customer</Link>
          </>
        )}
      </AreaHeader>
      <div className="toolbar">
        <Link className="button" to={`/customers/${id}/edit`}>
          Edit
        </Link>
        <button type="button" onClick={() => setMerging(true)} disabled={customer.mergedIntoId !== null}>
          Merge
        </button>
        <button type="button" onClick={() => void archive()}>
          {customer.archived ? 'Unarchive' : 'Archive'}
        </button>
        <Link className="button" to="/customers">
          Back to the book
        </Link>
      </div>
      <div className="profile-grid">
        <section className="panel" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl className="facts">
            <dt>Phone</dt>
            <dd>{phoneText(customer.phone)}</dd>
            <dt>WhatsApp</dt>
            <dd>{phoneText(customer.whatsapp)}</dd>
            <dt>Email</dt>
            <dd>{customer.email || '—'}</dd>
            <dt>Address</dt>
            <dd>
              {[customer.address, customer.lgaCity, customer.state]
                .filter((p) => p !== null && p !== '')
                .join(', ') || '—'}
            </dd>
            <dt>Birthday</dt>
            <dd>{customer.birthday ?? '—'}</dd>
            <dt>Tags</dt>
            <dd>
              {customer.tags.length === 0
                ? '—'
                : customer.tags.map((tag) => (
                    <span key={tag} className="chip">
                      {tag}
                    </span>
                  ))}
            </dd>
            {Object.entries(customer.preferences).map(([key, value]) => (
              <div key={key} className="fact-pair">
                <dt>{key}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {customer.notes !== '' && <p className="notes">{customer.notes}</p>}
        </section>
        <section className="panel" aria-labelledby="totals-title">
          <h2 id="totals-title">Loyalty and spend</h2>
          <dl className="facts">
            <dt>Tier</dt>
            <dd className={`tier-${customer.tier}`}>{customer.tier}</dd>
            <dt>Points</dt>
            <dd>{customer.pointsBalance.toLocaleString('en-NG')}</dd>
            <dt>Total spent</dt>
            <dd>
              <Money kobo={customer.totalSpentKobo} />
            </dd>
            <dt>Purchases</dt>
            <dd>{customer.purchaseCount}</dd>
            <dt>Last purchase</dt>
            <dd>{formatDay(customer.lastPurchaseAt)}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="consent-title">
          <h2 id="consent-title">May we send offers?</h2>
          {CONTACT_CHANNELS.map((channel) => (
            <label key={channel} className="inline-check">
              <input
                type="checkbox"
                role="switch"
                checked={granted(channel)}
                onChange={(e) => void setConsent(channel, e.target.checked)}
              />
              {CHANNEL_LABELS[channel]}
            </label>
          ))}
          <p className="muted">Receipts and order updates are always allowed; this is about promotions.</p>
        </section>
      </div>
      <section className="panel" aria-labelledby="purchases-title">
        <h2 id="purchases-title">Purchases</h2>
        {purchases.length === 0 ? (
          <p className="muted">No purchases yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Receipt</th>
                <th scope="col">Date</th>
                <th scope="col">Total</th>
                <th scope="col">Refunded</th>
                <th scope="col">Points</th>
              </tr>
            </thead>
            <tbody>
              {purchases.map((sale) => (
                <tr key={sale.saleId}>
                  <td>
                    <Link to={`/sell/sales/${sale.saleId}`}>{sale.receiptNumber}</Link>
                  </td>
                  <td>{formatDay(sale.createdAt)}</td>
                  <td>
                    <Money kobo={sale.totalKobo} />
                  </td>
                  <td>{sale.refundedKobo === 0 ? '—' : <Money kobo={sale.refundedKobo} />}</td>
                  <td>{sale.pointsEarned}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="profile-grid">
        <section className="panel" aria-labelledby="points-title">
          <h2 id="points-title">Points history</h2>
          {points.length === 0 ? (
            <p className="muted">No points yet.</p>
          ) : (
            <ul className="plain-list">
              {points.map((entry) => (
                <li key={entry.id}>
                  <strong>{entry.delta > 0 ? `+${entry.delta}` : entry.delta}</strong> {entry.kind} ·{' '}
                  {entry.note} · {formatDay(entry.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="messages-title">
          <h2 id="messages-title">Messages and consent</h2>
          <p className="muted">Campaign messages sent to this customer will be listed here.</p>
          <ul className="plain-list">
            {consents.map((entry) => (
              <li key={entry.id}>
                {CHANNEL_LABELS[entry.channel]}: {entry.granted ? 'agreed' : 'said no'} ({entry.source}) ·{' '}
                {formatDay(entry.at)}
              </li>
            ))}
          </ul>
        </section>
      </div>
      {merging && (
        <MergeDialog
          customer={customer}
          onClose={() => setMerging(false)}
          onMerged={(kept) => {
            setMerging(false);
            setCustomer(kept);
            load();
            showToast('success', 'Customers merged.');
          }}
        />
      )}
    </>
  );
}
