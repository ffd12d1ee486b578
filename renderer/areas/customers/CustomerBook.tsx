/**
 * The customer book: search as you type (any part of a number, a name, a tag) and, when the
 * box is empty, the whole book in a virtualised list that loads pages as they scroll into view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { CustomerSummary } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { AreaHeader } from '../../components/AreaHeader';
import { collectCsvPages, downloadText } from '../../download';
import { call, useAppStore } from '../../state/app-store';
import { CustomerRowCells } from './CustomerRow';

type Sort = 'name' | 'spend' | 'lastPurchase' | 'points';
const PAGE = 100;
const ROW_HEIGHT = 52;

const COLUMNS: { label: string; sort?: Sort }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Phone' },
  { label: 'Tier' },
  { label: 'Points', sort: 'points' },
  { label: 'Spent', sort: 'spend' },
  { label: 'Last purchase', sort: 'lastPurchase' },
];

/** Results for the text in the box; null while the box is empty (the whole book shows instead). */
function useSearch(query: string): CustomerSummary[] | null {
  const [results, setResults] = useState<CustomerSummary[]>([]);
  useEffect(() => {
    if (query.trim() === '') return;
    let current = true;
    const timer = window.setTimeout(() => {
      void kasuwa.customers.search({ query, limit: 50 }).then((answer) => {
        // Only the answer to what is in the box now is shown; slower earlier answers are dropped.
        if (current && answer.ok) setResults(answer.value);
      });
    }, 80);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query]);
  return query.trim() === '' ? null : results;
}

function VirtualBook({
  sort,
  direction,
  showArchived,
}: {
  sort: Sort;
  direction: 'asc' | 'desc';
  showArchived: boolean;
}) {
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState(new Map<number, CustomerSummary[]>());
  const loading = useRef(new Set<number>());
  const [active, setActive] = useState(0);

  const loadPage = useCallback(
    (page: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      void kasuwa.customers
        .list({ sort, direction, includeArchived: showArchived, offset: page * PAGE, limit: PAGE })
        .then((answer) => {
          if (!answer.ok) return;
          setTotal(answer.value.total);
          setPages((current) => new Map(current).set(page, answer.value.rows));
        });
    },
    [sort, direction, showArchived],
  );

  useEffect(() => {
    loading.current = new Set();
    setPages(new Map());
    loadPage(0);
  }, [loadPage]);

  // TanStack Virtual hands back fresh functions each render; this app does not use the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    const first = items[0]?.index ?? 0;
    const last = items[items.length - 1]?.index ?? 0;
    for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page += 1) {
      if (!pages.has(page)) loadPage(page);
    }
  }, [items, pages, loadPage]);

  const rowAt = (index: number) => pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, active + (event.key === 'ArrowDown' ? 1 : -1)));
      setActive(next);
      virtualizer.scrollToIndex(next);
    } else if (event.key === 'Enter') {
      const customer = rowAt(active);
      if (customer !== undefined) void navigate(`/customers/${customer.id}`);
    }
  };

  return (
    <>
      <p className="muted" aria-live="polite">
        {total.toLocaleString('en-NG')} customers
      </p>
      <div
        ref={scroller}
        className="virtual-list"
        role="grid"
        aria-rowcount={total}
        aria-label="Customers"
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const customer = rowAt(item.index);
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={item.index === active}
                className={`customer-row${item.index === active ? ' active' : ''}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {customer === undefined ? (
                  <span className="muted">Loading…</span>
                ) : (
                  <Link to={`/customers/${customer.id}`} className="row-link" tabIndex={-1}>
                    <CustomerRowCells customer={customer} />
                  </Link>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}

export function CustomerBook() {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const [direction, setDirection] = useState<'asc' | 'desc'>('asc');
  const [showArchived, setShowArchived] = useState(false);
  const results = useSearch(query);
  const searchBox = useRef<HTMLInputElement>(null);
  const showToast = useAppStore((state) => state.showToast);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && document.activeElement?.tagName !== 'INPUT') {
        event.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const sortBy = (next: Sort) => {
    if (next === sort) setDirection(direction === 'asc' ? 'desc' : 'asc');
    else {
      setSort(next);
      setDirection(next === 'name' ? 'asc' : 'desc');
    }
  };

  const exportAll = async () => {
    const csv = await collectCsvPages((offset) =>
      call(kasuwa.customers.exportCsv({ offset, limit: 20_000 })),
    );
    if (csv === null) return;
    downloadText(`kasuwa-customers-${new Date().toISOString().slice(0, 10)}.csv`, csv);
    showToast('success', 'Customers exported.');
  };

  return (
    <>
      <AreaHeader title="Customers">
        Find anyone by any part of their number, their name, or a tag.
      </AreaHeader>
      <div className="toolbar">
        <div className="field search-field">
          <label htmlFor="customer-search">Search customers</label>
          <input
            id="customer-search"
            ref={searchBox}
            type="search"
            autoFocus
            placeholder="0803 12…, Ngozi, vip"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <Link className="button primary" to="/customers/new">
          New customer
        </Link>
        <Link className="button" to="/customers/import">
          Import CSV
        </Link>
        <button type="button" onClick={() => void exportAll()}>
          Export customers (CSV)
        </button>
      </div>
      <div className="customer-row customer-head" role="presentation">
        {COLUMNS.map((column) =>
          column.sort === undefined || results !== null ? (
            <span key={column.label}>{column.label}</span>
          ) : (
            <button
              key={column.label}
              type="button"
              className="sort-button"
              aria-sort={sort === column.sort ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
              onClick={() => sortBy(column.sort ?? 'name')}
            >
              {column.label}
              {sort === column.sort ? (direction === 'asc' ? ' ▲' : ' ▼') : ''}
            </button>
          ),
        )}
      </div>
      {results === null ? (
        <>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={showArchived}
              onChange={(event) => setShowArchived(event.target.checked)}
            />
            Show archived customers
          </label>
          <VirtualBook sort={sort} direction={direction} showArchived={showArchived} />
        </>
      ) : (
        <section aria-label="Search results">
          <p className="muted" aria-live="polite">
            {results.length === 0 ? 'Nobody matches. ' : `${results.length} found`}
            {results.length === 0 && <Link to="/customers/new">Add a new customer</Link>}
          </p>
          <ul className="result-list">
            {results.map((customer) => (
              <li key={customer.id}>
                <Link to={`/customers/${customer.id}`} className="customer-row row-link">
                  <CustomerRowCells customer={customer} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
