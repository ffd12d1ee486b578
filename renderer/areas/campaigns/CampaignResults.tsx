/**
 * One campaign's results: the tally, the cost and the delivery rate, delivered and failed per
 * network and hour by hour, the two versions side by side for an A/B split, and every message
 * with its status and the provider's reason. Follows a send live from `campaigns:progress`.
 */
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  MESSAGE_STATUSES,
  type CampaignMessage,
  type CampaignProgress,
  type CampaignResults,
  type CampaignTally,
  type MessageStatus,
  type Page,
} from '../../../shared/contract';
import { formatNationalPhone, parseNigerianPhone } from '../../../shared/phone';
import { kasuwa } from '../../bridge';
import { Money } from '../../components/Money';
import { call, useAppStore } from '../../state/app-store';
import { useCampaignEvents, useCampaignsStore } from '../../state/campaigns-store';
import { useSyncStatus } from '../../state/sync-store';
import { When, useNow } from '../sync/time';
import { count } from '../sync/words';
import { Pager } from '../../components/Pager';
import {
  CHANNEL_WORDS,
  STATUS_WORDS,
  StateBadge,
  TRIGGER_WORDS,
  handled,
  people,
  rateWords,
} from './CampaignWords';
import { ConfirmDialog } from './ConfirmDialog';

const ResultCharts = lazy(() => import('./ResultCharts'));

const MESSAGES_PAGE = 25;
/** While messages go out, the results are read again at most this often. */
const FOLLOW_EVERY_MS = 1500;
const CARRIER_ORDER = ['MTN', 'Airtel', 'Glo', '9mobile', 'others', 'email'];

function carrierWords(carrier: string): string {
  if (carrier === 'others') return 'Other networks';
  return carrier === 'email' ? 'Email' : carrier;
}

function TallyFacts({ tally }: { tally: CampaignTally }) {
  const facts: [string, string, number | null][] = [
    ['Recipients', 'recipients', tally.recipients],
    ['Delivered', 'delivered', tally.delivered],
    ['Failed', 'failed', tally.failed],
    ['Undeliverable (DND or blocked)', 'undeliverable', tally.undeliverable],
    ['Sent, no report yet', 'sent', tally.sent],
    ['Waiting', 'waiting', tally.waiting],
    ['Queued', 'queued', tally.queued],
    ['Opted out', 'opted-out', tally.optedOut],
  ];
  return (
    <div className="campaign-tally">
      <div className="campaign-tally-lead">
        <div>
          <span className="muted">Delivery rate</span>
          <strong data-testid="tally-rate">{rateWords(tally)}</strong>
          {tally.sent > 0 && (
            <small>
              so far: {count(tally.sent)} still {tally.sent === 1 ? 'has' : 'have'} no delivery report
            </small>
          )}
        </div>
        <div>
          <span className="muted">Cost</span>
          <strong data-testid="tally-cost">
            <Money kobo={tally.costKobo} />
          </strong>
        </div>
      </div>
      <dl className="campaign-tally-grid">
        {facts.map(([label, id, value]) => (
          <div key={id} className="campaign-tally-item">
            <dt>{label}</dt>
            <dd data-testid={`tally-${id}`}>{value === null ? '—' : count(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function CarrierTable({ perCarrier }: { perCarrier: CampaignResults['perCarrier'] }) {
  const rows = [...perCarrier].sort(
    (a, b) => CARRIER_ORDER.indexOf(a.carrier) - CARRIER_ORDER.indexOf(b.carrier),
  );
  return (
    <table aria-label="Delivery per network" className="campaign-table">
      <thead>
        <tr>
          <th scope="col">Network</th>
          <th scope="col" className="cell-number">
            Recipients
          </th>
          <th scope="col" className="cell-number">
            Delivered
          </th>
          <th scope="col" className="cell-number">
            Failed
          </th>
          <th scope="col" className="cell-number">
            Undeliverable
          </th>
          <th scope="col" className="cell-number">
            No report yet
          </th>
          <th scope="col" className="cell-number">
            Delivery rate
          </th>
          <th scope="col" className="cell-number">
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ carrier, tally }) => (
          <tr key={carrier} data-testid={`carrier-${carrier}`}>
            <th scope="row">{carrierWords(carrier)}</th>
            <td className="cell-number">{count(tally.recipients)}</td>
            <td className="cell-number">{count(tally.delivered)}</td>
            <td className="cell-number">{count(tally.failed)}</td>
            <td className="cell-number">{count(tally.undeliverable)}</td>
            <td className="cell-number">{count(tally.sent)}</td>
            <td className="cell-number" data-testid={`carrier-rate-${carrier}`}>
              {rateWords(tally)}
            </td>
            <td className="cell-number">
              <Money kobo={tally.costKobo} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VariantTable({ templates }: { templates: CampaignResults['templates'] }) {
  const rates = templates.map((each) =>
    each.tally.delivered + each.tally.failed + each.tally.undeliverable === 0
      ? -1
      : (each.tally.deliveryRate ?? -1),
  );
  const best = Math.max(...rates);
  const winner = rates.filter((rate) => rate === best).length === 1 && best >= 0 ? rates.indexOf(best) : -1;
  return (
    <section className="panel" aria-labelledby="variants-title">
      <h2 id="variants-title">Version A against version B</h2>
      <table aria-label="A/B comparison" className="campaign-table">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Template</th>
            <th scope="col" className="cell-number">
              Recipients
            </th>
            <th scope="col" className="cell-number">
              Delivered
            </th>
            <th scope="col" className="cell-number">
              Failed
            </th>
            <th scope="col" className="cell-number">
              Delivery rate
            </th>
            <th scope="col" className="cell-number">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {templates.map((each, index) => (
            <tr
              key={each.variant}
              data-testid={`variant-${each.variant}`}
              className={index === winner ? 'campaign-winner' : undefined}
            >
              <th scope="row">
                {each.variant}
                {index === winner && <span className="badge">Better delivery</span>}
              </th>
              <td>
                <Link to={`/campaigns/templates/${each.templateId}`}>{each.name}</Link>
              </td>
              <td className="cell-number">{count(each.tally.recipients)}</td>
              <td className="cell-number">{count(each.tally.delivered)}</td>
              <td className="cell-number">{count(each.tally.failed + each.tally.undeliverable)}</td>
              <td className="cell-number">{rateWords(each.tally)}</td>
              <td className="cell-number">
                <Money kobo={each.tally.costKobo} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MessagePhone({ recipient }: { recipient: string }) {
  const parsed = parseNigerianPhone(recipient);
  return <>{parsed.ok ? formatNationalPhone(parsed.national) : recipient}</>;
}

function Messages({ campaignId, split, version }: { campaignId: string; split: boolean; version: number }) {
  const now = useNow(30_000);
  const [status, setStatus] = useState<MessageStatus | null>(null);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<CampaignMessage> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void kasuwa.campaigns.messages({ campaignId, status, offset, limit: MESSAGES_PAGE }).then((answer) => {
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
  }, [campaignId, status, offset, version]);
  return (
    <section className="panel" aria-labelledby="messages-title" data-testid="campaign-messages">
      <div className="campaign-section-head">
        <h2 id="messages-title">Messages</h2>
        <div className="field">
          <label htmlFor="messages-status">Show</label>
          <select
            id="messages-status"
            value={status ?? ''}
            onChange={(event) => {
              setStatus(event.target.value === '' ? null : (event.target.value as MessageStatus));
              setOffset(0);
            }}
          >
            <option value="">Every message</option>
            {MESSAGE_STATUSES.map((each) => (
              <option key={each} value={each}>
                {STATUS_WORDS[each]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error !== null && (
        <p className="notice" role="alert">
          Could not read the messages. {error}
        </p>
      )}
      {page === null ? (
        error === null && <p aria-busy="true">Loading…</p>
      ) : page.total === 0 ? (
        <p className="muted">
          {status === null ? 'No messages in this campaign.' : 'No messages with this status.'}
        </p>
      ) : (
        <>
          <table aria-label="Messages of this campaign" className="campaign-table">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">To</th>
                <th scope="col">Network</th>
                {split && <th scope="col">Version</th>}
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col" className="cell-number">
                  Cost
                </th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((message) => (
                <tr key={message.id} data-testid="campaign-message">
                  <th scope="row">
                    {message.customerId === null ? (
                      message.displayName
                    ) : (
                      <Link to={`/customers/${message.customerId}`}>{message.displayName}</Link>
                    )}
                  </th>
                  <td className="campaign-phone">
                    <MessagePhone recipient={message.recipient} />
                  </td>
                  <td>{message.carrier === null ? '—' : carrierWords(message.carrier)}</td>
                  {split && <td>{message.variant}</td>}
                  <td>
                    <span className={`campaign-status campaign-status-${message.status}`}>
                      {STATUS_WORDS[message.status]}
                    </span>
                  </td>
                  <td>{message.reason ?? ''}</td>
                  <td className="cell-number">
                    <Money kobo={message.costKobo} />
                  </td>
                  <td>
                    <When at={message.updatedAt} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            className="campaign-pager"
            offset={offset}
            limit={MESSAGES_PAGE}
            total={page.total}
            noun="messages"
            onOffset={setOffset}
          />
        </>
      )}
    </section>
  );
}

export function CampaignResultsView() {
  const { id = '' } = useParams();
  useCampaignEvents();
  const live = useCampaignsStore((state) => state.progress[id]);
  const showToast = useAppStore((state) => state.showToast);
  const now = useNow(30_000);
  // The progress event the results were read after: only a newer event is newer than they are.
  const [loaded, setLoaded] = useState<{
    results: CampaignResults;
    after: CampaignProgress | undefined;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [cancelling, setCancelling] = useState(false);
  const follow = useRef<number | null>(null);

  const load = useCallback(() => {
    void kasuwa.campaigns.results({ id }).then((answer) => {
      if (answer.ok) {
        setLoaded({ results: answer.value, after: useCampaignsStore.getState().progress[id] });
        setError(null);
        setVersion((each) => each + 1);
      } else {
        setError(answer.error.message);
      }
    });
  }, [id]);
  // Delivery reports come in with sync (from the providers' webhooks on the sync server): each
  // pull that moves the cursor may have brought some, so the results are read again.
  const syncCursor = useSyncStatus()?.cursor ?? null;
  useEffect(load, [load, syncCursor]);
  // Each progress event brings the tally; the carriers, the timeline and the messages follow at a calmer pace.
  useEffect(() => {
    if (live === undefined || follow.current !== null) return;
    follow.current = window.setTimeout(() => {
      follow.current = null;
      load();
    }, FOLLOW_EVERY_MS);
  }, [live, load]);
  useEffect(
    () => () => {
      if (follow.current !== null) window.clearTimeout(follow.current);
    },
    [],
  );

  if (loaded === null) {
    return error === null ? (
      <p aria-busy="true">Loading…</p>
    ) : (
      <p className="notice" role="alert">
        Could not read this campaign. {error} <Link to="/campaigns">Back to campaigns</Link>
      </p>
    );
  }
  const { results } = loaded;
  const newer = live !== undefined && live !== loaded.after ? live : null;
  const state = newer?.state ?? results.state;
  const tally = newer?.tally ?? results.tally;
  const done = handled(tally);
  const split = results.templates.length > 1;
  return (
    <div className="stack" data-testid="campaign-results">
      <section className="panel" aria-labelledby="results-title">
        <div className="campaign-section-head">
          <h2 id="results-title">{results.name}</h2>
          <div role="status" aria-live="polite" data-testid="campaign-state">
            <StateBadge state={state} />
          </div>
        </div>
        <dl className="facts">
          <dt>Sent by</dt>
          <dd>
            {CHANNEL_WORDS[results.channel]}, {results.kind}
            {results.trigger !== null && ` (automatic: ${TRIGGER_WORDS[results.trigger].title})`}
          </dd>
          <dt>To</dt>
          <dd>
            {results.segmentName} ({people(tally.recipients)})
          </dd>
          <dt>Message</dt>
          <dd>
            {results.templates.map((each) => `${split ? `${each.variant}: ` : ''}${each.name}`).join(' · ')}
          </dd>
          <dt>Started</dt>
          <dd>
            <When at={results.createdAt} now={now} />
          </dd>
          {results.scheduledAt !== null && (
            <>
              <dt>Scheduled for</dt>
              <dd>
                <When at={results.scheduledAt} now={now} future />
              </dd>
            </>
          )}
          {results.finishedAt !== null && (
            <>
              <dt>Finished</dt>
              <dd>
                <When at={results.finishedAt} now={now} />
              </dd>
            </>
          )}
        </dl>
        {state === 'sending' && (
          <div className="campaign-progress-block">
            <label htmlFor="campaign-progress">
              {count(done)} of {count(tally.recipients)} handled
            </label>
            <progress
              id="campaign-progress"
              className="campaign-progress"
              max={Math.max(1, tally.recipients)}
              value={done}
            />
          </div>
        )}
        <TallyFacts tally={tally} />
        <div className="campaign-actions">
          {(state === 'scheduled' || state === 'sending') && (
            <button type="button" className="campaign-danger-outline" onClick={() => setCancelling(true)}>
              Cancel campaign
            </button>
          )}
          <Link className="button" to="/campaigns">
            Back to campaigns
          </Link>
        </div>
      </section>
      <section className="panel" aria-labelledby="carriers-title">
        <h2 id="carriers-title">Delivery per network</h2>
        {results.perCarrier.length === 0 ? (
          <p className="muted">Nothing has gone out yet.</p>
        ) : (
          <>
            <CarrierTable perCarrier={results.perCarrier} />
            <Suspense fallback={<p aria-busy="true">Drawing the charts…</p>}>
              <ResultCharts perCarrier={results.perCarrier} timeline={results.timeline} />
            </Suspense>
          </>
        )}
      </section>
      {split && <VariantTable templates={results.templates} />}
      <Messages campaignId={results.id} split={split} version={version} />
      {cancelling && (
        <ConfirmDialog
          title={`Cancel ${results.name}?`}
          confirmLabel="Cancel campaign"
          onClose={() => setCancelling(false)}
          onConfirm={async () => {
            const answer = await call(kasuwa.campaigns.cancel({ id: results.id }));
            if (answer.ok) {
              showToast('success', `${answer.value.name} is cancelled.`);
              load();
            }
          }}
        >
          <p>Messages that have not gone out yet will not be sent. Those already sent stay sent.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
