/**
 * Step 7: the launch checklist (each item links to the step that fixes it), the store's address on
 * the sync server and an optional custom domain with the DNS record to set, social links, and the
 * buttons: save as draft, test store (a test order through the preview's checkout), and launch,
 * which stays disabled until every item is ticked. After launch: the store's address and when it
 * was published, and an export of the site as a folder for any static host.
 */
import { useEffect, useState } from 'react';
import type { EventPayload, StoreOrder } from '../../../shared/contract';
import { formatNaira } from '../../../shared/money';
import type { ChecklistItem } from '../../../shared/store/checklist';
import { whatsappDigits } from '../../../shared/store/config';
import { dnsRecordFor, domainSuggestions, isValidHostname } from '../../../shared/store/domains';
import { WIZARD_STEP_LABELS, storeSlugSchema, type LaunchSettings } from '../../../shared/store/draft';
import { kasuwa } from '../../bridge';
import { TextField } from '../../components/Field';
import { useAppStore } from '../../state/app-store';
import { useStoreChecklist, useStoreScreen } from '../../state/store-store';
import { useSyncStatus } from '../../state/sync-store';
import { dateTime, size } from './words';

/** "Mama Put's Kitchen" → "mama-puts-kitchen": a first address to offer. */
function slugFrom(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return storeSlugSchema.safeParse(slug).success ? slug : '';
}

/** Whether shoppers on the internet could reach a server by this name or address. */
function isLocalHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.local') ||
    host === '::1' ||
    host === '[::1]' ||
    /^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host)
  );
}

/** Moves to a field further down this step (a hash link would be taken by the router). */
function focusBelow(selector: string): void {
  const element = document.querySelector<HTMLElement>(selector);
  element?.scrollIntoView({ block: 'center' });
  element?.focus();
}

function Checklist({ checklist }: { checklist: readonly ChecklistItem[] }) {
  const goTo = useStoreScreen((state) => state.goTo);
  const done = checklist.filter((item) => item.done).length;
  return (
    <section className="store-subpanel" aria-labelledby="store-checklist-title">
      <h3 id="store-checklist-title">
        Launch checklist{' '}
        <span className="muted">
          ({done} of {checklist.length} done)
        </span>
      </h3>
      <ul className="store-checklist" data-testid="store-checklist">
        {checklist.map((item) => (
          <li key={item.id} className={item.done ? 'store-check-done' : 'store-check-open'}>
            <span className="store-check-mark" aria-hidden="true">
              {item.done ? '✓' : '✕'}
            </span>
            <div>
              <strong>{item.label}</strong>
              <span className="store-visually-hidden">{item.done ? ': done' : ': not done'}</span>
              {!item.done && <p className="store-check-detail">{item.detail}</p>}
            </div>
            {!item.done && item.step !== 'launch' && (
              <a
                href="#/store"
                className="store-check-link"
                onClick={(event) => {
                  event.preventDefault();
                  goTo(item.step);
                }}
              >
                Fix in {WIZARD_STEP_LABELS[item.step]}
              </a>
            )}
            {!item.done && item.step === 'launch' && (
              <button
                type="button"
                className="store-link-button"
                onClick={() =>
                  focusBelow(item.id === 'address' ? '#store-slug-field input' : '#store-test-button')
                }
              >
                {item.id === 'address' ? 'Choose it below' : 'Test it below'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DnsRecord({ domain }: { domain: string }) {
  const server = useSyncStatus()?.server ?? null;
  if (domain === '' || !isValidHostname(domain)) return null;
  if (server === null) {
    return (
      <p className="store-explain" data-testid="store-dns-record">
        Your store is served by the shop’s sync server. Pair this counter with one on the Sync screen, and the
        record to set at your domain registrar shows here.
      </p>
    );
  }
  const host = new URL(server.url).hostname;
  const record = dnsRecordFor(domain, host);
  return (
    <div className="store-explain" data-testid="store-dns-record">
      <p>
        At the company you bought <strong>{domain}</strong> from, add this DNS record. It can take a few hours
        to work everywhere.
      </p>
      <table className="store-dns">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{record.type}</td>
            <td>{record.name}</td>
            <td className="path">{record.value}</td>
          </tr>
        </tbody>
      </table>
      {isLocalHost(host) && (
        <p className="store-warning">
          Your sync server is at {host}, an address inside your shop’s network: shoppers on the internet
          cannot reach it. Run the sync server on a machine with a public address for the domain to work.
        </p>
      )}
    </div>
  );
}

function Address({ launch, businessName }: { launch: LaunchSettings; businessName: string }) {
  const edit = useStoreScreen((state) => state.edit);
  const errors = useStoreScreen((state) => state.errors.launch) ?? {};
  const server = useSyncStatus()?.server ?? null;
  const set = (patch: Partial<LaunchSettings>) => edit('launch', (current) => ({ ...current, ...patch }));
  const slug = launch.slug.toLowerCase();
  const offered = launch.slug === '' ? slugFrom(businessName) : '';
  const suggestions = domainSuggestions(businessName, 6).filter((domain) => domain !== launch.customDomain);
  const domainError =
    errors.customDomain ??
    (launch.customDomain !== '' && !isValidHostname(launch.customDomain)
      ? `${launch.customDomain} is not a domain name. Write it like mamaputkitchen.com.ng`
      : undefined);
  const where = slug === '' ? '/s/…/' : `/s/${slug}/`;
  // The schema's union with '' words a wrong address as "Invalid input": say what is wrong instead.
  const slugCheck = slug === '' ? null : storeSlugSchema.safeParse(slug);
  const slugError =
    slugCheck !== null && !slugCheck.success
      ? (slugCheck.error.issues[0]?.message ?? 'Use 1 to 48 letters, digits and dashes')
      : errors.slug;
  return (
    <section className="store-subpanel" aria-labelledby="store-address-title">
      <h3 id="store-address-title">Where your store lives</h3>
      <div id="store-slug-field">
        <TextField
          label="Store address"
          value={launch.slug}
          maxLength={48}
          spellCheck={false}
          autoComplete="off"
          error={slugError}
          hint={
            <>
              Letters, digits and dashes. Shoppers open{' '}
              <span className="path" data-testid="store-slug-path">
                {server === null ? where : `${server.url}${where}`}
              </span>
            </>
          }
          onChange={(event) => set({ slug: event.target.value.toLowerCase().replace(/\s+/g, '-') })}
        />
      </div>
      {offered !== '' && (
        <p>
          <button type="button" onClick={() => set({ slug: offered })}>
            Use {offered}
          </button>
        </p>
      )}
      <TextField
        label="Custom domain (optional)"
        value={launch.customDomain}
        spellCheck={false}
        autoComplete="off"
        inputMode="url"
        placeholder="mamaputkitchen.com.ng"
        error={domainError}
        hint="A name of your own, bought from a registrar. Your store also stays at the address above."
        onChange={(event) => set({ customDomain: event.target.value.trim().toLowerCase() })}
      />
      {suggestions.length > 0 && (
        <div className="store-suggestions">
          <span id="store-domain-ideas" className="muted">
            Ideas from your business name (check at a registrar that they are free):
          </span>
          <ul aria-labelledby="store-domain-ideas">
            {suggestions.map((domain) => (
              <li key={domain}>
                <button type="button" className="store-chip" onClick={() => set({ customDomain: domain })}>
                  <span className="store-visually-hidden">Use the domain </span>
                  {domain}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <DnsRecord domain={launch.customDomain} />
    </section>
  );
}

function SocialLinks({ launch, whatsapp }: { launch: LaunchSettings; whatsapp: string }) {
  const edit = useStoreScreen((state) => state.edit);
  const errors = useStoreScreen((state) => state.errors.launch) ?? {};
  const set = (patch: Partial<LaunchSettings>) => edit('launch', (current) => ({ ...current, ...patch }));
  const digits = whatsappDigits(whatsapp);
  return (
    <section className="store-subpanel" aria-labelledby="store-social-title">
      <h3 id="store-social-title">Social links</h3>
      <p data-testid="store-whatsapp-link">
        {digits === '' ? (
          <span className="muted">
            WhatsApp click-to-chat appears when you add a WhatsApp number in Business info.
          </span>
        ) : (
          <>
            WhatsApp click-to-chat: <span className="path">https://wa.me/{digits}</span>
          </>
        )}
      </p>
      <div className="form-grid">
        <TextField
          label="Instagram"
          value={launch.instagram}
          maxLength={60}
          placeholder="@mamaputkitchen"
          error={errors.instagram}
          onChange={(event) => set({ instagram: event.target.value })}
        />
        <TextField
          label="Facebook"
          value={launch.facebook}
          maxLength={100}
          placeholder="facebook.com/mamaputkitchen"
          error={errors.facebook}
          onChange={(event) => set({ facebook: event.target.value })}
        />
        <TextField
          label="X (Twitter)"
          value={launch.x}
          maxLength={60}
          placeholder="@mamaputkitchen"
          error={errors.x}
          onChange={(event) => set({ x: event.target.value })}
        />
      </div>
    </section>
  );
}

function Published() {
  const published = useStoreScreen((state) => state.remote?.published ?? null);
  const [folder, setFolder] = useState('');
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<{ folder: string; files: number; bytes: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (published === null) return null;
  const exportSite = async () => {
    setExporting(true);
    setError(null);
    const answer = await kasuwa.store.export(folder.trim() === '' ? {} : { folder: folder.trim() });
    setExporting(false);
    if (answer.ok) setExported(answer.value);
    else setError(answer.error.message);
  };
  return (
    <section
      className="store-subpanel store-published"
      aria-labelledby="store-published-title"
      data-testid="store-published"
    >
      <h3 id="store-published-title">
        <span aria-hidden="true">✓ </span>Your store is live
      </h3>
      <p>
        <a href={published.url} target="_blank" rel="noreferrer" data-testid="store-published-url">
          {published.url}
        </a>
      </p>
      {published.customDomain !== null && (
        <p>
          Also at <span className="path">https://{published.customDomain}/</span> once its DNS record is set.
        </p>
      )}
      <p className="muted">
        Published {dateTime(published.publishedAt)}: {published.files} files, {size(published.bytes)} (
        {published.uploaded} uploaded this time). Changes you make from now on go live when you publish again.
      </p>
      <div className="store-export">
        <TextField
          label="Export to folder (optional)"
          value={folder}
          spellCheck={false}
          placeholder="Leave empty for Kasuwa’s store folder"
          onChange={(event) => setFolder(event.target.value)}
        />
        <button type="button" disabled={exporting} onClick={() => void exportSite()}>
          {exporting ? 'Exporting…' : 'Export folder'}
        </button>
      </div>
      {exported !== null && (
        <p className="good" role="status">
          Written to <span className="path">{exported.folder}</span>: {exported.files} files,{' '}
          {size(exported.bytes)}. Copy the folder to any web host.
        </p>
      )}
      {error !== null && (
        <p className="field-error" role="alert">
          Could not export the store. {error}
        </p>
      )}
    </section>
  );
}

type Progress = EventPayload<'progress'>;

function LaunchButtons({ checklist }: { checklist: readonly ChecklistItem[] }) {
  const flush = useStoreScreen((state) => state.flush);
  const load = useStoreScreen((state) => state.load);
  const applyRemote = useStoreScreen((state) => state.applyRemote);
  const dirty = useStoreScreen((state) => state.dirty);
  const saveStatus = useStoreScreen((state) => state.save);
  const published = useStoreScreen((state) => state.remote?.published ?? null);
  const showToast = useAppStore((state) => state.showToast);
  const [busy, setBusy] = useState<'save' | 'test' | 'launch' | null>(null);
  const [testOrder, setTestOrder] = useState<StoreOrder | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);

  useEffect(() => {
    if (busy !== 'launch') return;
    return kasuwa.on('progress', (event) => {
      if (event.taskId.startsWith('store-publish-')) setProgress(event);
    });
  }, [busy]);

  const open = checklist.filter((item) => !item.done);
  const unsaved = Object.keys(dirty).length > 0;
  const reason =
    open.length > 0
      ? `Launch is ready when every checklist item is ticked: ${open.length} still to do (${open
          .map((item) => item.label.toLowerCase())
          .join(', ')}).`
      : unsaved
        ? saveStatus.state === 'error'
          ? `A change could not be saved: ${saveStatus.message}`
          : 'Saving your changes first…'
        : null;

  const saveNow = async () => {
    setBusy('save');
    setError(null);
    const saved = await flush();
    setBusy(null);
    if (saved) showToast('success', 'Your store is saved as a draft.');
  };
  const test = async () => {
    setBusy('test');
    setError(null);
    setTestOrder(null);
    const saved = await flush();
    const answer = saved ? await kasuwa.store.testOrder() : null;
    if (answer !== null) {
      if (answer.ok) setTestOrder(answer.value);
      else setError(answer.error.message);
      await load();
    }
    setBusy(null);
  };
  const launch = async () => {
    setBusy('launch');
    setError(null);
    setProgress(null);
    const saved = await flush();
    const answer = saved ? await kasuwa.store.publish() : null;
    if (answer !== null) {
      if (answer.ok) {
        applyRemote(answer.value);
        showToast('success', published === null ? 'Your store is live.' : 'Your changes are live.');
      } else {
        setError(`The store was not published. ${answer.error.message}`);
      }
    }
    setBusy(null);
    setProgress(null);
  };

  return (
    <section className="store-launch-actions" aria-label="Save, test and launch">
      <div className="store-actions">
        <button type="button" disabled={busy !== null} onClick={() => void saveNow()}>
          Save as draft
        </button>
        <button id="store-test-button" type="button" disabled={busy !== null} onClick={() => void test()}>
          {busy === 'test' ? 'Placing a test order…' : 'Test store'}
        </button>
        <button
          type="button"
          className="primary store-launch"
          disabled={busy !== null || reason !== null}
          aria-describedby={reason === null ? undefined : 'store-launch-reason'}
          onClick={() => void launch()}
        >
          {busy === 'launch' ? 'Publishing…' : published === null ? 'Launch' : 'Publish changes'}
        </button>
      </div>
      {reason !== null && (
        <p id="store-launch-reason" className="store-launch-reason" data-testid="store-launch-reason">
          {reason}
        </p>
      )}
      {progress !== null && progress.total > 0 && (
        <div className="store-progress">
          <label htmlFor="store-publish-progress">
            {progress.label}: {progress.done} of {progress.total} files
          </label>
          <progress id="store-publish-progress" max={progress.total} value={progress.done} />
        </div>
      )}
      {testOrder !== null && (
        <p className="good" role="status" data-testid="store-test-order">
          Test order {testOrder.number} placed for {formatNaira(testOrder.totalKobo)}: it is under Online
          orders, marked as a test.
        </p>
      )}
      {error !== null && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

export function LaunchStep() {
  const launch = useStoreScreen((state) => state.draft?.launch);
  const business = useStoreScreen((state) => state.draft?.business);
  const checklist = useStoreChecklist();
  if (launch === undefined || business === undefined || checklist === null) return null;
  return (
    <div className="store-form">
      <Checklist checklist={checklist} />
      <Address launch={launch} businessName={business.name} />
      <SocialLinks launch={launch} whatsapp={business.whatsapp} />
      <LaunchButtons checklist={checklist} />
      <Published />
    </div>
  );
}
