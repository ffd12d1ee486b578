/** The catalogue: products with stock and low-stock marks, add and edit, receive and adjust stock. */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { Product, StockMove } from '../../../shared/contract';
import { parseNairaToKobo } from '../../../shared/money';
import { kasuwa } from '../../bridge';
import { fieldErrors, TextField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { Money } from '../../components/Money';
import { call, useAppStore } from '../../state/app-store';

interface Draft {
  name: string;
  sku: string;
  barcode: string;
  price: string;
  cost: string;
  category: string;
  lowStockThreshold: string;
  openingStock: string;
  image: string | null;
}

const EMPTY: Draft = {
  name: '',
  sku: '',
  barcode: '',
  price: '',
  cost: '',
  category: '',
  lowStockThreshold: '0',
  openingStock: '0',
  image: null,
};

/** A picture resized to at most 256 px, as a small data URL fit for the database. */
async function smallImage(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 256 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/webp', 0.8);
}

function ProductForm({
  product,
  onSaved,
  onClose,
}: {
  product: Product | null;
  onSaved: () => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(
    product === null
      ? EMPTY
      : {
          name: product.name,
          sku: product.sku,
          barcode: product.barcode,
          price: (product.priceKobo / 100).toFixed(2),
          cost: (product.costKobo / 100).toFixed(2),
          category: product.category,
          lowStockThreshold: String(product.lowStockThreshold),
          openingStock: '0',
          image: product.image,
        },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    const priceKobo = parseNairaToKobo(draft.price);
    if (priceKobo === null) {
      setErrors({ priceKobo: 'Enter the price in naira, like 1500 or 1,500.50' });
      return;
    }
    const fields = {
      name: draft.name,
      sku: draft.sku,
      barcode: draft.barcode,
      priceKobo,
      costKobo: parseNairaToKobo(draft.cost === '' ? '0' : draft.cost) ?? 0,
      category: draft.category,
      lowStockThreshold: Number(draft.lowStockThreshold) || 0,
      image: draft.image,
    };
    const onError = (error: { details?: unknown }) => setErrors(fieldErrors(error.details));
    const answer =
      product === null
        ? await call(kasuwa.products.create({ ...fields, openingStock: Number(draft.openingStock) || 0 }), {
            onError,
          })
        : await call(kasuwa.products.update({ ...fields, id: product.id }), { onError });
    if (answer.ok) onSaved();
  };
  return (
    <Modal title={product === null ? 'New product' : `Edit ${product.name}`} open onClose={onClose} wide>
      <form onSubmit={(event) => void save(event)}>
        <div className="form-grid">
          <TextField
            label="Product name"
            autoFocus
            required
            value={draft.name}
            error={errors.name}
            onChange={(e) => set({ name: e.target.value })}
          />
          <TextField
            label="Price (₦)"
            inputMode="decimal"
            required
            value={draft.price}
            error={errors.priceKobo}
            onChange={(e) => set({ price: e.target.value })}
          />
          <TextField
            label="Cost (₦)"
            inputMode="decimal"
            value={draft.cost}
            onChange={(e) => set({ cost: e.target.value })}
          />
          <TextField
            label="SKU"
            value={draft.sku}
            error={errors.sku}
            onChange={(e) => set({ sku: e.target.value })}
          />
          <TextField
            label="Barcode"
            value={draft.barcode}
            error={errors.barcode}
            onChange={(e) => set({ barcode: e.target.value })}
          />
          <TextField
            label="Category"
            value={draft.category}
            onChange={(e) => set({ category: e.target.value })}
          />
          <TextField
            label="Low-stock alert at"
            inputMode="numeric"
            value={draft.lowStockThreshold}
            onChange={(e) => set({ lowStockThreshold: e.target.value })}
          />
          {product === null && (
            <TextField
              label="Stock on hand now"
              inputMode="numeric"
              value={draft.openingStock}
              onChange={(e) => set({ openingStock: e.target.value })}
            />
          )}
          <div className="field">
            <label htmlFor="product-image">Picture</label>
            <input
              id="product-image"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file !== undefined) void smallImage(file).then((image) => set({ image }));
              }}
            />
            {draft.image !== null && <img src={draft.image} alt="" className="product-thumb" />}
          </div>
        </div>
        <button type="submit" className="primary">
          Save product
        </button>
      </form>
    </Modal>
  );
}

function StockDialog({
  product,
  onSaved,
  onClose,
}: {
  product: Product;
  onSaved: () => void;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<'receive' | 'adjustment'>('receive');
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [moves, setMoves] = useState<StockMove[]>([]);
  useEffect(() => {
    void call(kasuwa.products.stockMoves({ productId: product.id, offset: 0, limit: 20 })).then(
      (answer) => answer.ok && setMoves(answer.value.rows),
    );
  }, [product.id]);
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    const answer = await call(
      kasuwa.products.adjustStock({ productId: product.id, kind, quantity: Number(quantity), note }),
    );
    if (answer.ok) onSaved();
  };
  return (
    <Modal title={`Stock of ${product.name}: ${product.stock}`} open onClose={onClose}>
      <form onSubmit={(event) => void save(event)}>
        <div className="field">
          <label htmlFor="stock-kind">What happened</label>
          <select id="stock-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="receive">Goods received</option>
            <option value="adjustment">Count correction (use − for fewer)</option>
          </select>
        </div>
        <TextField
          label="Quantity"
          inputMode="numeric"
          autoFocus
          value={quantity}
          onChange={(e) => setQuantity(e.target.value.replace(/[^\d-]/g, ''))}
        />
        <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} />
        <button
          type="submit"
          className="primary"
          disabled={quantity === '' || quantity === '-' || Number(quantity) === 0}
        >
          Save stock
        </button>
      </form>
      <h3>Recent moves</h3>
      <ul className="plain-list">
        {moves.map((move) => (
          <li key={move.id}>
            {move.quantity > 0 ? `+${move.quantity}` : move.quantity} {move.kind} {move.note} ·{' '}
            {new Date(move.createdAt).toLocaleString('en-NG')}
          </li>
        ))}
      </ul>
    </Modal>
  );
}

export function Products() {
  const showToast = useAppStore((state) => state.showToast);
  const [data, setData] = useState<{ total: number; rows: Product[] }>({ total: 0, rows: [] });
  const [lowOnly, setLowOnly] = useState(false);
  const [editing, setEditing] = useState<Product | null | 'new'>(null);
  const [stock, setStock] = useState<Product | null>(null);
  const load = useCallback(() => {
    void call(kasuwa.products.list({ lowStockOnly: lowOnly, offset: 0, limit: 200 })).then(
      (answer) => answer.ok && setData(answer.value),
    );
  }, [lowOnly]);
  useEffect(load, [load]);
  return (
    <section aria-label="Products">
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New product
        </button>
        <label className="inline-check">
          <input type="checkbox" checked={lowOnly} onChange={(e) => setLowOnly(e.target.checked)} />
          Low stock only
        </label>
        <span className="muted">{data.total} products</span>
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">SKU / barcode</th>
            <th scope="col">Price</th>
            <th scope="col">Stock</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((product) => (
            <tr key={product.id}>
              <td>
                {product.image !== null && <img src={product.image} alt="" className="product-thumb small" />}
                {product.name}
                {product.category !== '' && <small className="muted"> · {product.category}</small>}
              </td>
              <td>{[product.sku, product.barcode].filter((v) => v !== '').join(' / ') || '—'}</td>
              <td>
                <Money kobo={product.priceKobo} />
              </td>
              <td className={product.lowStock ? 'bad' : ''}>
                {product.stock}
                {product.lowStock && ' (low)'}
                {product.reserved > 0 && (
                  <small className="muted"> · {product.reserved} held for online orders</small>
                )}
              </td>
              <td>
                <button type="button" onClick={() => setEditing(product)}>
                  Edit
                </button>
                <button type="button" onClick={() => setStock(product)}>
                  Stock
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing !== null && (
        <ProductForm
          product={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
            showToast('success', 'Product saved.');
          }}
        />
      )}
      {stock !== null && (
        <StockDialog
          product={stock}
          onClose={() => setStock(null)}
          onSaved={() => {
            setStock(null);
            load();
            showToast('success', 'Stock updated.');
          }}
        />
      )}
    </section>
  );
}
