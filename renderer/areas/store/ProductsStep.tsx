/**
 * Step 2: what the store sells, picked from the shop's catalogue (read a page at a time, or by
 * search: a shop may have thousands), and for each product whether it shows online, its online
 * price, a description and a photo for the web; and how much of the stock shoppers see.
 */
import { useEffect, useState } from 'react';
import type { Page, Product } from '../../../shared/contract';
import type { Envelope } from '../../../shared/errors';
import { formatNaira } from '../../../shared/money';
import { MIN_LAUNCH_PRODUCTS } from '../../../shared/store/checklist';
import { STOCK_VISIBILITY, type StockVisibility, type StoreProduct } from '../../../shared/store/draft';
import { kasuwa } from '../../bridge';
import { TextField } from '../../components/Field';
import { useStoreScreen } from '../../state/store-store';
import { count } from '../sync/words';
import { CheckField, NairaField, PictureField, TextAreaField } from './inputs';
import { Pager } from '../../components/Pager';

const CATALOGUE_PAGE = 20;
const SEARCH_LIMIT = 50;
const CHOSEN_PAGE = 10;

const STOCK_WORDS: Record<StockVisibility, { label: string; hint: string }> = {
  exact: { label: 'Show how many are left', hint: 'For example “7 left”.' },
  'in-or-out': { label: 'Show only “In stock” or “Sold out”', hint: 'Shoppers do not see your numbers.' },
  hidden: { label: 'Do not show stock', hint: 'Sold-out products still cannot be ordered.' },
};

function newItem(productId: string): StoreProduct {
  return { productId, description: '', photo: null, priceKobo: null, online: true };
}

type Found = { key: string; page: Page<Product>; searched: boolean } | { key: string; error: string };

/** The shop's catalogue, a page at a time or by search, with a box to put each product in the store. */
function Catalogue({ chosen }: { chosen: ReadonlySet<string> }) {
  const edit = useStoreScreen((state) => state.edit);
  const rememberProducts = useStoreScreen((state) => state.rememberProducts);
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [found, setFound] = useState<Found | null>(null);
  const key = JSON.stringify([query.trim(), offset]);

  useEffect(() => {
    let current = true;
    const text = query.trim();
    const asked = JSON.stringify([text, offset]);
    const read = async (): Promise<void> => {
      let answer: Envelope<Page<Product>>;
      if (text === '') {
        answer = await kasuwa.products.list({ offset, limit: CATALOGUE_PAGE });
      } else {
        const hits = await kasuwa.products.search({ query: text, limit: SEARCH_LIMIT });
        answer = hits.ok ? { ok: true, value: { total: hits.value.length, rows: hits.value } } : hits;
      }
      if (!current) return;
      if (answer.ok) {
        rememberProducts(answer.value.rows);
        setFound({ key: asked, page: answer.value, searched: text !== '' });
      } else {
        setFound({ key: asked, error: answer.error.message });
      }
    };
    // Search waits for a pause in the typing; paging answers at once.
    const timer = window.setTimeout(() => void read(), text === '' ? 0 : 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query, offset, rememberProducts]);

  const add = (products: readonly Product[]) =>
    edit('products', (current) => {
      const have = new Set(current.items.map((item) => item.productId));
      const added = products.filter((product) => !have.has(product.id)).map((product) => newItem(product.id));
      return { ...current, items: [...current.items, ...added].slice(0, 5000) };
    });
  const remove = (id: string) =>
    edit('products', (current) => ({
      ...current,
      items: current.items.filter((item) => item.productId !== id),
    }));

  const rows = found !== null && 'page' in found ? found.page.rows : [];
  const notYet = rows.filter((product) => !chosen.has(product.id));
  return (
    <section className="store-subpanel" aria-labelledby="store-catalogue-title">
      <h3 id="store-catalogue-title">Your catalogue</h3>
      <TextField
        label="Search your catalogue"
        type="search"
        value={query}
        placeholder="Name, barcode or SKU"
        onChange={(event) => {
          setQuery(event.target.value);
          setOffset(0);
        }}
      />
      {found === null ? (
        <p aria-busy="true">Reading the catalogue…</p>
      ) : 'error' in found ? (
        <p className="notice" role="alert">
          Could not read the catalogue. {found.error}
        </p>
      ) : found.page.rows.length === 0 ? (
        <p className="muted">
          {found.searched
            ? 'No product matches that. Try part of the name.'
            : 'Your catalogue is empty. Add products under Sell → Products first.'}
        </p>
      ) : (
        <>
          <ul
            className="store-catalogue"
            aria-label="Products in your catalogue"
            aria-busy={found.key !== key}
          >
            {found.page.rows.map((product) => (
              <li key={product.id}>
                <CheckField
                  label={
                    <span className="store-catalogue-line">
                      <span className="store-catalogue-name">{product.name}</span>
                      <span className="money">{formatNaira(product.priceKobo)}</span>
                      <span className="muted">{count(product.stock)} in stock</span>
                    </span>
                  }
                  checked={chosen.has(product.id)}
                  onChecked={(checked) => (checked ? add([product]) : remove(product.id))}
                />
              </li>
            ))}
          </ul>
          <div className="store-actions">
            <button type="button" disabled={notYet.length === 0} onClick={() => add(notYet)}>
              Add all {count(notYet.length)} shown
            </button>
            {found.searched && found.page.total >= SEARCH_LIMIT && (
              <span className="muted">
                The first {SEARCH_LIMIT} matches are shown: type more to narrow them.
              </span>
            )}
          </div>
          {!found.searched && (
            <Pager
              className="store-pager"
              offset={offset}
              limit={CATALOGUE_PAGE}
              total={found.page.total}
              noun="catalogue products"
              onOffset={setOffset}
            />
          )}
        </>
      )}
    </section>
  );
}

function ChosenProduct({
  item,
  index,
  product,
}: {
  item: StoreProduct;
  index: number;
  product: Product | null | undefined;
}) {
  const edit = useStoreScreen((state) => state.edit);
  const errors = useStoreScreen((state) => state.errors.products) ?? {};
  const set = (patch: Partial<StoreProduct>) =>
    edit('products', (current) => ({
      ...current,
      items: current.items.map((each) => (each.productId === item.productId ? { ...each, ...patch } : each)),
    }));
  const remove = () =>
    edit('products', (current) => ({
      ...current,
      items: current.items.filter((each) => each.productId !== item.productId),
    }));
  const name =
    product === undefined ? 'Reading…' : product === null ? 'No longer in the catalogue' : product.name;
  const error = (field: string) => errors[`items.${index}.${field}`];
  const picture = item.photo ?? product?.image ?? null;
  return (
    <li className="store-chosen" aria-label={name}>
      <div className="store-chosen-head">
        {picture !== null ? (
          <img className="store-thumb" src={picture} alt="" />
        ) : (
          <span className="store-thumb store-picture-empty" aria-hidden="true" />
        )}
        <div className="store-chosen-name">
          <strong>{name}</strong>
          {product !== undefined && product !== null && (
            <span className="muted">
              Counter price {formatNaira(product.priceKobo)} · {count(product.stock)} in stock
              {product.archived && ' · archived: it will not show online'}
            </span>
          )}
        </div>
        <button type="button" className="store-link-button store-remove" onClick={remove}>
          Remove <span className="store-visually-hidden">{name} from the store</span>
        </button>
      </div>
      {product !== null && (
        <div className="store-chosen-fields">
          <CheckField label="Show online" checked={item.online} onChecked={(online) => set({ online })} />
          <NairaField
            label="Online price"
            kobo={item.priceKobo}
            allowBlank
            placeholder={product === undefined ? '' : nairaPlaceholder(product.priceKobo)}
            hint="Leave empty to sell at the counter price."
            error={error('priceKobo')}
            onKobo={(priceKobo) => set({ priceKobo })}
          />
        </div>
      )}
      {product !== null && (
        <details className="store-details">
          <summary>
            Description and web photo{item.description !== '' || item.photo !== null ? ' (added)' : ''}
          </summary>
          <TextAreaField
            label="Description"
            value={item.description}
            maxLength={1000}
            rows={3}
            error={error('description')}
            onChange={(event) => set({ description: event.target.value })}
          />
          <PictureField
            label="Web photo"
            value={item.photo}
            maxSide={800}
            alt={`Web photo of ${name}`}
            error={error('photo')}
            hint="Without one, the store uses the catalogue’s picture."
            onValue={(photo) => set({ photo })}
          />
        </details>
      )}
    </li>
  );
}

function nairaPlaceholder(kobo: number): string {
  return `${formatNaira(kobo).replace('₦', '')} (counter price)`;
}

/** The products put in the store, a page at a time, each with its online settings. */
function Chosen({ items }: { items: readonly StoreProduct[] }) {
  const products = useStoreScreen((state) => state.products);
  const fetchProducts = useStoreScreen((state) => state.fetchProducts);
  const [offset, setOffset] = useState(0);
  // Removing the last products of the last page shows the page before it.
  const start =
    offset < items.length ? offset : Math.max(0, Math.floor((items.length - 1) / CHOSEN_PAGE) * CHOSEN_PAGE);
  const shown = items.slice(start, start + CHOSEN_PAGE);
  const ids = shown.map((item) => item.productId).join(',');
  useEffect(() => {
    if (ids !== '') void fetchProducts(ids.split(','));
  }, [ids, fetchProducts]);
  if (items.length === 0) {
    return <p className="muted">No products in the store yet: tick them in your catalogue.</p>;
  }
  return (
    <>
      <ul className="store-chosen-list" aria-label="Products in your store">
        {shown.map((item, place) => (
          <ChosenProduct
            key={item.productId}
            item={item}
            index={start + place}
            product={products[item.productId]}
          />
        ))}
      </ul>
      <Pager
        className="store-pager"
        offset={start}
        limit={CHOSEN_PAGE}
        total={items.length}
        noun="products in the store"
        onOffset={setOffset}
      />
    </>
  );
}

export function ProductsStep() {
  const products = useStoreScreen((state) => state.draft?.products);
  const edit = useStoreScreen((state) => state.edit);
  if (products === undefined) return null;
  const chosen = new Set(products.items.map((item) => item.productId));
  const online = products.items.filter((item) => item.online).length;
  const more = Math.max(0, MIN_LAUNCH_PRODUCTS - online);
  return (
    <div className="store-form">
      <p className="store-product-count" aria-live="polite" data-testid="store-product-count">
        <strong>{count(online)}</strong> {online === 1 ? 'product shows' : 'products show'} online
        {products.items.length !== online && ` (${count(products.items.length - online)} hidden)`}.{' '}
        {more > 0 ? (
          <span className="store-needs-inline">
            Add {more} more to launch: a store needs at least {MIN_LAUNCH_PRODUCTS}.
          </span>
        ) : (
          <span className="good">Enough to launch.</span>
        )}
      </p>
      <div className="store-two-columns">
        <Catalogue chosen={chosen} />
        <section className="store-subpanel" aria-labelledby="store-chosen-title">
          <h3 id="store-chosen-title">In your store ({count(products.items.length)})</h3>
          <Chosen items={products.items} />
        </section>
      </div>
      <fieldset>
        <legend>Stock shoppers see</legend>
        {STOCK_VISIBILITY.map((visibility) => (
          <label key={visibility} className="store-radio">
            <input
              type="radio"
              name="store-stock-visibility"
              checked={products.stockVisibility === visibility}
              onChange={() => edit('products', (current) => ({ ...current, stockVisibility: visibility }))}
            />
            <span>
              {STOCK_WORDS[visibility].label}
              <small className="hint"> {STOCK_WORDS[visibility].hint}</small>
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
