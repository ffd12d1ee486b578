/**
 * Online orders: what shoppers ordered from the store, a page at a time, waiting ones first. A
 * waiting order is fulfilled as a sale of the cashier signed in at the till (its reserved stock
 * becomes the sale's), or cancelled with a reason. An order waiting for its Paystack or Flutterwave
 * payment can be checked with the provider ("Check payment", through the sync server) for a
 * shopper who paid and closed the page before coming back. The list reads itself again when a
 * `store:orders` event says orders arrived or changed.
 */
import { useEffect, useState, type SyntheticEvent } from 'react';
import {
  ORDER_STATUSES,
  type Page,
  type StaffMember,
  type StoreOrder,
  type StoreOrderStatus,
} from '../../../shared/contract';
import { formatNaira } from '../../../shared/money';
import { PAYMENT_OPTION_LABELS } from '../../../shared/store/draft';
import { stateLabel } from '../../../shared/states';
import { kasuwa } from '../../bridge';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../state/app-store';
import { useStoreScreen } from '../../state/store-store';
import { count } from '../sync/words';
import { TextAreaField } from './inputs';
import { Pager } from '../../components/Pager';
import { ORDER_STATUS_WORDS, PAYMENT_STATUS_WORDS, dateTime, daysWords } from './words';

const PAGE = 20;
type Filter = StoreOrderStatus | 'all';

const FILTER_WORDS: Record<Filter, string> = {
  pending: 'Waiting',
  fulfilled: 'Fulfilled',
  cancelled: 'Cancelled',
  all: 'All',
};

function deliveryPrice(order: StoreOrder): string {
  if (order.delivery.quoted) return 'price to agree';
  return order.delivery.priceKobo === 0 ? 'free' : formatNaira(order.delivery.priceKobo);
}

function CancelDialog({
  order,
  onClose,
  onDone,
}: {
  order: StoreOrder;
  onClose: () => void;
  onDone: (order: StoreOrder) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setError('Say why, for the customer and your records.');
      return;
    }
    setBusy(true);
    const answer = await kasuwa.store.cancelOrder({ id: order.id, reason });
    setBusy(false);
    if (answer.ok) onDone(answer.value);
    else setError(answer.error.message);
  };
  return (
    <Modal title={`Cancel order ${order.number}?`} open onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <p>
          {order.customerName}’s order for {formatNaira(order.totalKobo)} is cancelled and its reserved stock
          goes back on sale. This cannot be undone.
        </p>
        <TextAreaField
          label="Reason"
          value={reason}
          maxLength={300}
          rows={3}
          autoFocus
          required
          error={error}
          placeholder="Customer asked to cancel; out of stock; could not reach the customer…"
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="store-actions">
          <button type="submit" className="primary store-danger" disabled={busy}>
            Cancel the order
          </button>
          <button type="button" onClick={onClose}>
            Keep the order
          </button>
        </div>
      </form>
    </Modal>
  );
}

const PROVIDER_NAMES = { paystack: 'Paystack', flutterwave: 'Flutterwave' } as const;

/** Whether the order waits on an online payment that the provider can be asked about. */
function checkable(order: StoreOrder): order is StoreOrder & { paymentMethod: 'paystack' | 'flutterwave' } {
  return (
    order.status === 'pending' &&
    !order.test &&
    (order.paymentMethod === 'paystack' || order.paymentMethod === 'flutterwave') &&
    (order.paymentStatus === 'awaiting-payment' || order.paymentStatus === 'failed')
  );
}

/** What a payment check found, in the owner's words. */
function checkedWords(order: StoreOrder, provider: string): string {
  if (order.paymentStatus === 'paid') return `Paid: ${provider} confirms ${formatNaira(order.totalKobo)}.`;
  if (order.paymentStatus === 'failed') return `${provider} says the payment did not go through.`;
  return `${provider} has no payment for this order yet. The shopper may still be paying; check again later.`;
}

function OrderCard({
  order,
  onChanged,
  onCancel,
}: {
  order: StoreOrder;
  onChanged: (order: StoreOrder) => void;
  onCancel: (order: StoreOrder) => void;
}) {
  const showToast = useAppStore((state) => state.showToast);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const checkPayment = async (provider: string) => {
    setBusy(true);
    setError(null);
    setChecked(null);
    const answer = await kasuwa.store.checkPayment({ id: order.id });
    setBusy(false);
    if (answer.ok) {
      onChanged(answer.value);
      setChecked(checkedWords(answer.value, provider));
    } else {
      setError(answer.error.message);
    }
  };
  const fulfil = async () => {
    setBusy(true);
    setError(null);
    const answer = await kasuwa.store.fulfilOrder({ id: order.id });
    setBusy(false);
    if (answer.ok) {
      onChanged(answer.value);
      showToast('success', `Order ${answer.value.number} is recorded as a sale.`);
    } else {
      setError(answer.error.message);
    }
  };
  const delivery = order.delivery;
  const titleId = `store-order-${order.id}`;
  return (
    <li className={`store-order store-order-${order.status}`}>
      <article aria-labelledby={titleId}>
        <header className="store-order-head">
          <h3 id={titleId}>
            Order {order.number}
            {order.test && <span className="store-badge store-badge-test">Test</span>}
          </h3>
          <span className={`store-badge store-status-${order.status}`}>
            {ORDER_STATUS_WORDS[order.status]}
          </span>
          <strong className="money store-order-total">{formatNaira(order.totalKobo)}</strong>
        </header>
        <dl className="store-order-facts">
          <div>
            <dt>Customer</dt>
            <dd>
              {order.customerName}
              {order.customerId === null && <span className="muted"> (new customer)</span>}
            </dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>
              <a href={`tel:${order.phone}`}>{order.phone}</a>
              {order.email !== '' && <span className="muted"> · {order.email}</span>}
            </dd>
          </div>
          <div>
            <dt>Delivery</dt>
            <dd>
              {delivery.label}: {deliveryPrice(order)}, {daysWords(delivery.daysMin, delivery.daysMax)}
              <br />
              <span className="muted">
                {[order.address, order.lgaCity, stateLabel(order.state)]
                  .filter((part) => part !== '')
                  .join(', ')}
              </span>
            </dd>
          </div>
          <div>
            <dt>Payment</dt>
            <dd>
              {PAYMENT_OPTION_LABELS[order.paymentMethod]}: {PAYMENT_STATUS_WORDS[order.paymentStatus]}
              {order.paymentReference !== null && (
                <span className="muted"> (ref {order.paymentReference})</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Placed</dt>
            <dd>{dateTime(order.placedAt)}</dd>
          </div>
        </dl>
        <table className="store-order-lines">
          <caption className="store-visually-hidden">Items in order {order.number}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="amount">
                Qty
              </th>
              <th scope="col" className="amount">
                Price
              </th>
              <th scope="col" className="amount">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.productId}>
                <td>{line.name}</td>
                <td className="amount">{count(line.quantity)}</td>
                <td className="amount">{formatNaira(line.unitPriceKobo)}</td>
                <td className="amount">{formatNaira(line.totalKobo)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {order.note !== '' && <p className="store-order-note">Note from the customer: {order.note}</p>}
        {order.status === 'cancelled' && order.reason !== '' && (
          <p className="muted">Cancelled: {order.reason}</p>
        )}
        {order.status === 'pending' && order.test && (
          <p className="muted">A test order is never sold: cancel it once you have looked at it.</p>
        )}
        {order.status === 'pending' && (
          <div className="store-actions">
            {!order.test && (
              <button type="button" className="primary" disabled={busy} onClick={() => void fulfil()}>
                Fulfil (record sale)
                <span className="store-visually-hidden"> for order {order.number}</span>
              </button>
            )}
            {checkable(order) && (
              <button
                type="button"
                disabled={busy}
                onClick={() => void checkPayment(PROVIDER_NAMES[order.paymentMethod])}
              >
                Check payment
                <span className="store-visually-hidden">
                  {' '}
                  with {PROVIDER_NAMES[order.paymentMethod]} for order {order.number}
                </span>
              </button>
            )}
            <button
              type="button"
              className="store-danger-outline"
              disabled={busy}
              onClick={() => onCancel(order)}
            >
              Cancel<span className="store-visually-hidden"> order {order.number}</span>
            </button>
          </div>
        )}
        <p className="muted" role="status" aria-live="polite" data-testid={`store-order-checked-${order.id}`}>
          {checked}
        </p>
        {error !== null && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </article>
    </li>
  );
}

export function OnlineOrders() {
  const ordersVersion = useStoreScreen((state) => state.ordersVersion);
  const pending = useStoreScreen((state) => state.pendingOrders);
  const [filter, setFilter] = useState<Filter>('pending');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<StoreOrder> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<StoreOrder | null>(null);
  // Who a fulfilled order is sold by; undefined until asked.
  const [cashier, setCashier] = useState<StaffMember | null | undefined>(undefined);

  useEffect(() => {
    void kasuwa.till.current().then((answer) => {
      if (answer.ok) setCashier(answer.value);
    });
  }, [ordersVersion]);

  useEffect(() => {
    let current = true;
    void kasuwa.store.orders({ status: filter, offset, limit: PAGE }).then((answer) => {
      if (!current) return;
      if (answer.ok) {
        setPage(answer.value);
        setError(null);
      } else {
        setError(answer.error.message);
      }
    });
    return () => {
      current = false;
    };
  }, [filter, offset, ordersVersion]);

  // An order changed here shows its new state at once; the `store:orders` event that follows reads the page again.
  const changed = (order: StoreOrder) =>
    setPage((shown) =>
      shown === null
        ? shown
        : { ...shown, rows: shown.rows.map((row) => (row.id === order.id ? order : row)) },
    );

  return (
    <section className="panel" aria-labelledby="store-orders-title">
      <div className="store-section-head">
        <h2 id="store-orders-title">Online orders</h2>
        <span className="muted" aria-live="polite">
          {pending === 0
            ? 'No shopper orders waiting'
            : `${count(pending)} shopper ${pending === 1 ? 'order' : 'orders'} waiting`}
        </span>
      </div>
      {cashier !== undefined && (
        <p className="muted" data-testid="store-orders-cashier">
          {cashier === null
            ? 'Fulfilling an order records it as a sale: sign in at the till (Sell) first.'
            : `Fulfilled orders are recorded as sales by ${cashier.name}, signed in at the till.`}
        </p>
      )}
      <fieldset className="store-segmented">
        <legend>Show</legend>
        {([...ORDER_STATUSES, 'all'] as const).map((each) => (
          <label key={each} className={filter === each ? 'store-segment-on' : undefined}>
            <input
              type="radio"
              name="store-order-filter"
              checked={filter === each}
              onChange={() => {
                setFilter(each);
                setOffset(0);
              }}
            />
            {FILTER_WORDS[each]}
          </label>
        ))}
      </fieldset>
      {error !== null && (
        <p className="notice" role="alert">
          Could not read the online orders. {error}
        </p>
      )}
      {page === null ? (
        error === null && <p aria-busy="true">Reading the orders…</p>
      ) : page.rows.length === 0 ? (
        <p className="muted">
          {filter === 'pending'
            ? 'No orders waiting. New orders from your store appear here as soon as they sync.'
            : 'No orders here.'}
        </p>
      ) : (
        <>
          <ul className="store-orders" aria-label={`${FILTER_WORDS[filter]} orders`}>
            {page.rows.map((order) => (
              <OrderCard key={order.id} order={order} onChanged={changed} onCancel={setCancelling} />
            ))}
          </ul>
          <Pager
            className="store-pager"
            offset={offset}
            limit={PAGE}
            total={page.total}
            noun="orders"
            onOffset={setOffset}
          />
        </>
      )}
      {cancelling !== null && (
        <CancelDialog
          order={cancelling}
          onClose={() => setCancelling(null)}
          onDone={(order) => {
            setCancelling(null);
            changed(order);
          }}
        />
      )}
    </section>
  );
}
