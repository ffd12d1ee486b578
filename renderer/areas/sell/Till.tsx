/**
 * The till, keyboard-first: F2 search (a scanned barcode arrives as digits + Enter), +/- on the
 * selected line, F4 attach a customer by phone, F8 pay, Esc back out. Each cart carries a sale
 * id from the moment it opens, so a double click or a retry after a dropped link records once.
 */
import { useEffect, useMemo, useRef, useState, type SyntheticEvent } from 'react';
import {
  PAYMENT_METHOD_LABELS,
  PAYMENT_METHODS,
  type CustomerSummary,
  type PaymentMethod,
  type Product,
  type Sale,
  type StaffMember,
} from '../../../shared/contract';
import { uuidv7 } from '../../../shared/ids';
import { formatNaira, parseNairaToKobo } from '../../../shared/money';
import { formatNationalPhone } from '../../../shared/phone';
import { kasuwa } from '../../bridge';
import { Money } from '../../components/Money';
import { Receipt } from '../../components/Receipt';
import { call, useAppStore } from '../../state/app-store';

interface CartLine {
  product: Product;
  quantity: number;
  discountKobo: number;
}

interface PaymentDraft {
  method: PaymentMethod;
  amount: string;
  tendered: string;
  reference: string;
}

function SignIn({ onSignedIn }: { onSignedIn: (member: StaffMember) => void }) {
  const [pin, setPin] = useState('');
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const answer = await call(kasuwa.till.signIn({ pin }));
    setPin('');
    if (answer.ok) onSignedIn(answer.value);
  };
  return (
    <form className="panel" onSubmit={(event) => void submit(event)}>
      <h2>Sign in to sell</h2>
      <div className="field">
        <label htmlFor="till-pin">Your PIN</label>
        <input
          id="till-pin"
          type="password"
          inputMode="numeric"
          autoFocus
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 6))}
        />
      </div>
      <button type="submit" className="primary" disabled={pin.length < 4}>
        Sign in
      </button>
    </form>
  );
}

function CustomerPicker({
  onPick,
  onClose,
}: {
  onPick: (customer: CustomerSummary) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CustomerSummary[]>([]);
  const [name, setName] = useState('');
  const [existing, setExisting] = useState<string | null>(null);
  useEffect(() => {
    if (query.trim() === '') return;
    let current = true;
    const timer = window.setTimeout(() => {
      void kasuwa.customers
        .search({ query, limit: 8 })
        .then((answer) => current && answer.ok && setResults(answer.value));
    }, 60);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query]);
  const create = async () => {
    setExisting(null);
    const answer = await call(kasuwa.customers.create({ displayName: name, phone: query }), {
      onError: (error) => {
        const details = error.details as { existingId?: string } | undefined;
        if (details?.existingId !== undefined) setExisting(details.existingId);
      },
    });
    if (answer.ok) onPick(answer.value);
  };
  const attachExisting = async () => {
    if (existing === null) return;
    const answer = await call(kasuwa.customers.get({ id: existing }));
    if (answer.ok) onPick(answer.value);
  };
  return (
    <section className="panel customer-picker" aria-label="Attach a customer">
      <div className="field">
        <label htmlFor="till-customer">Customer's phone or name</label>
        <input
          id="till-customer"
          autoFocus
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && results[0] !== undefined) {
              event.preventDefault();
              onPick(results[0]);
            } else if (event.key === 'Escape') onClose();
          }}
        />
      </div>
      <ul className="pick-list">
        {(query.trim() === '' ? [] : results).map((customer) => (
          <li key={customer.id}>
            <button type="button" onClick={() => onPick(customer)}>
              {customer.displayName} · {formatNationalPhone(customer.phoneNational)} ·{' '}
              {customer.pointsBalance} points
            </button>
          </li>
        ))}
      </ul>
      {results.length === 0 && query.trim().length >= 7 && (
        <div className="quick-create">
          <div className="field">
            <label htmlFor="till-new-name">New customer's name</label>
            <input id="till-new-name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="button" onClick={() => void create()} disabled={name.trim() === ''}>
            Add customer
          </button>
          {existing !== null && (
            <button type="button" onClick={() => void attachExisting()}>
              Attach the customer who has this number
            </button>
          )}
        </div>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

function PaymentPanel({
  total,
  customer,
  onPaid,
  onCancel,
}: {
  total: number;
  customer: CustomerSummary | null;
  onPaid: (
    payments: { method: PaymentMethod; amountKobo: number; tenderedKobo?: number; reference: string }[],
  ) => Promise<void>;
  onCancel: () => void;
}) {
  const [rows, setRows] = useState<PaymentDraft[]>([
    { method: 'cash', amount: (total / 100).toFixed(2), tendered: '', reference: '' },
  ]);
  const [busy, setBusy] = useState(false);
  const amounts = rows.map((row) => parseNairaToKobo(row.amount) ?? 0);
  const paid = amounts.reduce((sum, amount) => sum + amount, 0);
  const remaining = total - paid;
  const change = rows.reduce((sum, row, index) => {
    if (row.method !== 'cash' || row.tendered === '') return sum;
    return sum + Math.max(0, (parseNairaToKobo(row.tendered) ?? 0) - (amounts[index] ?? 0));
  }, 0);
  const tenderedShort = rows.some(
    (row, index) =>
      row.method === 'cash' &&
      row.tendered !== '' &&
      (parseNairaToKobo(row.tendered) ?? 0) < (amounts[index] ?? 0),
  );
  const methods = PAYMENT_METHODS.filter((method) => method !== 'points' || customer !== null);
  const update = (index: number, patch: Partial<PaymentDraft>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const pay = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    await onPaid(
      rows.map((row, index) => ({
        method: row.method,
        amountKobo: amounts[index] ?? 0,
        ...(row.method === 'cash' && row.tendered !== ''
          ? { tenderedKobo: parseNairaToKobo(row.tendered) ?? 0 }
          : {}),
        reference: row.reference,
      })),
    );
    setBusy(false);
  };

  return (
    <form
      className="panel pay-panel"
      aria-label="Payment"
      onSubmit={(event) => void pay(event)}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h2>
        Pay <Money kobo={total} />
      </h2>
      {customer !== null && (
        <p className="muted">
          {customer.displayName} has {customer.pointsBalance} points.
        </p>
      )}
      {rows.map((row, index) => (
        <div className="payment-row" key={index}>
          <div className="field">
            <label htmlFor={`pay-method-${index}`}>Method {index + 1}</label>
            <select
              id={`pay-method-${index}`}
              value={row.method}
              onChange={(e) => update(index, { method: e.target.value as PaymentMethod })}
            >
              {methods.map((method) => (
                <option key={method} value={method}>
                  {PAYMENT_METHOD_LABELS[method]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`pay-amount-${index}`}>Amount (₦) {index + 1}</label>
            <input
              id={`pay-amount-${index}`}
              inputMode="decimal"
              autoFocus={index === rows.length - 1}
              value={row.amount}
              onChange={(e) => update(index, { amount: e.target.value })}
            />
          </div>
          {row.method === 'cash' ? (
            <div className="field">
              <label htmlFor={`pay-tendered-${index}`}>Cash given (₦) {index + 1}</label>
              <input
                id={`pay-tendered-${index}`}
                inputMode="decimal"
                value={row.tendered}
                onChange={(e) => update(index, { tendered: e.target.value })}
              />
            </div>
          ) : (
            <div className="field">
              <label htmlFor={`pay-reference-${index}`}>Reference {index + 1}</label>
              <input
                id={`pay-reference-${index}`}
                value={row.reference}
                onChange={(e) => update(index, { reference: e.target.value })}
              />
            </div>
          )}
          {rows.length > 1 && (
            <button
              type="button"
              aria-label={`Remove payment ${index + 1}`}
              onClick={() => setRows(rows.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          setRows([
            ...rows,
            {
              method: 'transfer',
              amount: (Math.max(0, remaining) / 100).toFixed(2),
              tendered: '',
              reference: '',
            },
          ])
        }
      >
        Add payment
      </button>
      <dl className="facts pay-summary" aria-live="polite">
        <dt>Still to pay</dt>
        <dd className={remaining === 0 ? 'good' : 'bad'}>{formatNaira(remaining)}</dd>
        <dt>Change</dt>
        <dd>{formatNaira(change)}</dd>
      </dl>
      <button type="submit" className="primary big" disabled={busy || remaining !== 0 || tenderedShort}>
        Record sale
      </button>
      <button type="button" onClick={onCancel}>
        Back to the cart
      </button>
    </form>
  );
}

export function Till() {
  const showToast = useAppStore((state) => state.showToast);
  const [cashier, setCashier] = useState<StaffMember | null | undefined>(undefined);
  const [query, setQuery] = useState('');
  // The products found and the text they were found for: a scanner types and presses Enter faster
  // than a search answers, so Enter must never add a hit that belongs to older text.
  const [found, setFound] = useState<{ query: string; products: Product[] }>({ query: '', products: [] });
  const [hit, setHit] = useState(0);
  const [cart, setCart] = useState<CartLine[]>([]);
  // The line that +/- change, by product, so it stays put when lines are added or removed.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [customer, setCustomer] = useState<CustomerSummary | null>(null);
  const [step, setStep] = useState<'cart' | 'customer' | 'pay'>('cart');
  const [saleId, setSaleId] = useState(() => uuidv7());
  const [receipt, setReceipt] = useState<Sale | null>(null);
  const [footer, setFooter] = useState('');
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void call(kasuwa.till.current()).then((answer) => answer.ok && setCashier(answer.value));
    void call(kasuwa.settings.get()).then((answer) => answer.ok && setFooter(answer.value.receiptFooter));
  }, []);

  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      void kasuwa.products.search({ query, limit: 8 }).then((answer) => {
        if (current && answer.ok) {
          setFound({ query, products: answer.value });
          setHit(0);
        }
      });
    }, 50);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query]);

  const total = useMemo(
    () => cart.reduce((sum, line) => sum + line.product.priceKobo * line.quantity - line.discountKobo, 0),
    [cart],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F2') {
        event.preventDefault();
        setStep('cart');
        search.current?.focus();
      } else if (event.key === 'F4') {
        event.preventDefault();
        setStep('customer');
      } else if (event.key === 'F8' && cart.length > 0) {
        event.preventDefault();
        setStep('pay');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cart.length]);

  if (cashier === undefined) return <p aria-busy="true">…</p>;
  if (cashier === null) return <SignIn onSignedIn={setCashier} />;

  const selectedIndex = cart.findIndex((line) => line.product.id === selectedId);
  const selectedLine = cart[selectedIndex];

  /** Adds one of `product`; `scanned` is the text that found it, cleared only if still in the box. */
  const add = (product: Product, scanned: string) => {
    setReceipt(null);
    // Functional updates: a scan answered late must not undo a scan that came after it.
    setCart((current) => {
      const index = current.findIndex((line) => line.product.id === product.id);
      return index >= 0
        ? current.map((line, i) => (i === index ? { ...line, quantity: line.quantity + 1 } : line))
        : [...current, { product, quantity: 1, discountKobo: 0 }];
    });
    setSelectedId(product.id);
    setQuery((current) => (current === scanned ? '' : current));
    search.current?.focus();
  };
  const addFor = async (text: string) => {
    if (text.trim() === '') return;
    if (found.query === text) {
      const product = found.products[hit];
      if (product !== undefined) add(product, text);
      return;
    }
    const answer = await call(kasuwa.products.search({ query: text, limit: 1 }));
    const product = answer.ok ? answer.value[0] : undefined;
    if (product === undefined) showToast('error', `Nothing in the catalogue matches “${text}”.`);
    else add(product, text);
  };
  const setQuantity = (index: number, quantity: number) =>
    setCart(
      quantity <= 0
        ? cart.filter((_, i) => i !== index)
        : cart.map((line, i) => (i === index ? { ...line, quantity } : line)),
    );

  const record = async (
    payments: { method: PaymentMethod; amountKobo: number; tenderedKobo?: number; reference: string }[],
  ) => {
    const answer = await call(
      kasuwa.sales.record({
        saleId,
        customerId: customer?.id ?? null,
        lines: cart.map((line) => ({
          productId: line.product.id,
          quantity: line.quantity,
          discountKobo: line.discountKobo,
        })),
        payments,
      }),
    );
    if (!answer.ok) return;
    setReceipt(answer.value);
    setCart([]);
    setCustomer(null);
    setStep('cart');
    setSaleId(uuidv7());
    showToast('success', `Sale ${answer.value.receiptNumber} recorded.`);
  };

  return (
    <div className="till">
      <div className="till-main">
        <div className="till-who">
          Selling as <strong>{cashier.name}</strong>
          <button
            type="button"
            onClick={() => {
              void call(kasuwa.till.signOut()).then(() => setCashier(null));
            }}
          >
            Sign out
          </button>
        </div>
        <div className="field">
          <label htmlFor="till-search">Scan or search products (F2)</label>
          <input
            id="till-search"
            ref={search}
            autoFocus
            value={query}
            autoComplete="off"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                void addFor(query);
              } else if (event.key === 'ArrowDown') {
                event.preventDefault();
                setHit(Math.min(found.products.length - 1, hit + 1));
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                setHit(Math.max(0, hit - 1));
              } else if (
                (event.key === '+' || event.key === '-') &&
                query === '' &&
                selectedLine !== undefined
              ) {
                event.preventDefault();
                setQuantity(selectedIndex, selectedLine.quantity + (event.key === '+' ? 1 : -1));
              } else if (event.key === 'Escape') setQuery('');
            }}
          />
        </div>
        {query !== '' && found.query === query && (
          <ul className="pick-list" aria-label="Products found">
            {found.products.map((product, index) => (
              <li key={product.id}>
                <button
                  type="button"
                  className={index === hit ? 'active' : ''}
                  onClick={() => add(product, query)}
                >
                  {product.name} · <Money kobo={product.priceKobo} /> · {product.stock} in stock
                </button>
              </li>
            ))}
          </ul>
        )}
        <table className="cart" aria-label="Cart">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Qty</th>
              <th scope="col">Discount (₦)</th>
              <th scope="col">Line</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cart.map((line, index) => (
              <tr
                key={line.product.id}
                className={line.product.id === selectedId ? 'selected' : ''}
                onClick={() => setSelectedId(line.product.id)}
              >
                <td>{line.product.name}</td>
                <td>
                  <input
                    aria-label={`Quantity of ${line.product.name}`}
                    className="qty"
                    inputMode="numeric"
                    value={line.quantity}
                    onChange={(e) => setQuantity(index, Number(e.target.value.replace(/\D/g, '')) || 0)}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Discount on ${line.product.name}`}
                    className="qty"
                    inputMode="decimal"
                    defaultValue={line.discountKobo === 0 ? '' : (line.discountKobo / 100).toFixed(2)}
                    onBlur={(e) => {
                      const discount = parseNairaToKobo(e.target.value === '' ? '0' : e.target.value) ?? 0;
                      setCart(
                        cart.map((l, i) =>
                          i === index
                            ? {
                                ...l,
                                discountKobo: Math.max(
                                  0,
                                  Math.min(discount, l.product.priceKobo * l.quantity),
                                ),
                              }
                            : l,
                        ),
                      );
                    }}
                  />
                </td>
                <td className="amount">
                  <Money kobo={line.product.priceKobo * line.quantity - line.discountKobo} />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove ${line.product.name}`}
                    onClick={() => setQuantity(index, 0)}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {cart.length === 0 && receipt === null && (
          <p className="muted">Scan an item or type its name. F4 attaches a customer, F8 takes payment.</p>
        )}
      </div>
      <aside className="till-side">
        <div className="till-total" aria-live="polite">
          <span>Total</span>
          <Money kobo={total} className="big-money" />
        </div>
        <div className="till-customer">
          {customer === null ? (
            <button type="button" onClick={() => setStep('customer')}>
              Attach customer (F4)
            </button>
          ) : (
            <p>
              <strong>{customer.displayName}</strong> · {formatNationalPhone(customer.phoneNational)} ·{' '}
              {customer.pointsBalance} points ({customer.tier})
              <button type="button" onClick={() => setCustomer(null)}>
                Remove
              </button>
            </p>
          )}
        </div>
        {step === 'customer' && (
          <CustomerPicker
            onClose={() => setStep('cart')}
            onPick={(picked) => {
              setCustomer(picked);
              setStep('cart');
              search.current?.focus();
            }}
          />
        )}
        {step === 'pay' && cart.length > 0 ? (
          <PaymentPanel total={total} customer={customer} onPaid={record} onCancel={() => setStep('cart')} />
        ) : (
          <button
            type="button"
            className="primary big"
            disabled={cart.length === 0}
            onClick={() => setStep('pay')}
          >
            Pay (F8)
          </button>
        )}
        {receipt !== null && <Receipt sale={receipt} footer={footer} />}
      </aside>
    </div>
  );
}
