/**
 * Step 5: the store's terms of sale, privacy notice (NDPA 2023) and refund policy. Each page can
 * start from the template filled in with the business info; a page that already has text is only
 * replaced after the owner says so.
 */
import { useState } from 'react';
import { legalTemplates } from '../../../shared/store/legal';
import type { LegalPages } from '../../../shared/store/draft';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../state/app-store';
import { useStoreScreen } from '../../state/store-store';
import { TextAreaField } from './inputs';

type LegalPage = keyof LegalPages;

const PAGES: { page: LegalPage; title: string; hint: string }[] = [
  {
    page: 'terms',
    title: 'Terms of sale',
    hint: 'How orders, prices, delivery and payment work in your store.',
  },
  {
    page: 'privacy',
    title: 'Privacy notice',
    hint: 'What you collect from shoppers, why, how long you keep it, their rights under the NDPA 2023 and how to reach you.',
  },
  {
    page: 'refunds',
    title: 'Refund policy',
    hint: 'When shoppers can return an item and how they get their money back.',
  },
];

export function LegalStep() {
  const legal = useStoreScreen((state) => state.draft?.legal);
  const business = useStoreScreen((state) => state.draft?.business);
  const errors = useStoreScreen((state) => state.errors.legal) ?? {};
  const edit = useStoreScreen((state) => state.edit);
  const email = useAppStore((state) => state.business?.email ?? '');
  const [asking, setAsking] = useState<LegalPage[] | null>(null);
  if (legal === undefined || business === undefined) return null;

  const templates = () =>
    legalTemplates({
      name: business.name,
      address: business.address,
      state: business.state,
      phone: business.phone,
      email,
    });
  const fill = (pages: readonly LegalPage[]) => {
    const filled = templates();
    edit('legal', (current) => ({
      ...current,
      ...Object.fromEntries(pages.map((page) => [page, filled[page]])),
    }));
  };
  /** Fills the pages now, or asks first when one of them has text of its own. */
  const startFromTemplate = (pages: LegalPage[]) => {
    if (pages.some((page) => legal[page].trim() !== '')) setAsking(pages);
    else fill(pages);
  };
  const titles = (pages: readonly LegalPage[]) =>
    pages.map((page) => PAGES.find((each) => each.page === page)?.title.toLowerCase() ?? page).join(', ');
  const empty = PAGES.map((each) => each.page).filter((page) => legal[page].trim() === '');

  return (
    <div className="store-form">
      <p className="muted">
        Every store needs these three pages. Start from the templates, which use your business info, then read
        them and change what does not fit your shop.
      </p>
      {empty.length > 0 && (
        <div className="store-actions">
          <button type="button" onClick={() => fill(empty)}>
            Fill {empty.length === 1 ? 'the empty page' : `the ${empty.length} empty pages`} from the
            templates
          </button>
        </div>
      )}
      {PAGES.map(({ page, title, hint }) => (
        <section key={page} className="store-legal-page" aria-labelledby={`store-legal-${page}`}>
          <div className="store-section-head">
            <h3 id={`store-legal-${page}`}>{title}</h3>
            <button type="button" onClick={() => startFromTemplate([page])}>
              Use the template <span className="store-visually-hidden">for the {title.toLowerCase()}</span>
            </button>
          </div>
          <TextAreaField
            label={title}
            className="store-legal-text"
            rows={10}
            maxLength={20_000}
            value={legal[page]}
            error={errors[page]}
            hint={`${hint} Lines starting with “# ” are headings, “- ” list items.`}
            onChange={(event) => edit('legal', (current) => ({ ...current, [page]: event.target.value }))}
          />
        </section>
      ))}
      <Modal title="Replace your text?" open={asking !== null} onClose={() => setAsking(null)}>
        <p>
          The {titles(asking ?? [])} already {(asking ?? []).length === 1 ? 'has' : 'have'} text. The template
          replaces it, and what you wrote is lost.
        </p>
        <div className="store-actions">
          <button
            type="button"
            className="primary"
            onClick={() => {
              fill(asking ?? []);
              setAsking(null);
            }}
          >
            Replace with the template
          </button>
          <button type="button" onClick={() => setAsking(null)}>
            Keep my text
          </button>
        </div>
      </Modal>
    </div>
  );
}
