/**
 * Every campaign, newest first, a page at a time: its state, tally, cost and delivery rate, with
 * a progress bar while it sends (from `campaigns:progress`), and above them what the sender is
 * doing now.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { CampaignProgress, CampaignSummary, Page } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { Money } from '../../components/Money';
import { Pager } from '../../components/Pager';
import { useCampaignEvents, useCampaignsStore } from '../../state/campaigns-store';
import { useSyncStatus } from '../../state/sync-store';
import { When, useNow } from '../sync/time';
import { count } from '../sync/words';
import { CHANNEL_WORDS, StateBadge, TRIGGER_WORDS, handled, messages, rateWords } from './CampaignWords';

const PAGE = 20;

export function SenderPanel() {
  const sender = useCampaignsStore((state) => state.sender);
  const loadError = useCampaignsStore((state) => state.loadErrors.sender);
  if (sender === null) {
    return loadError === undefined ? null : (
      <p className="notice" role="alert">
        Could not read what the sender is doing. {loadError}
      </p>
    );
  }
  const busy = sender.queued + sender.waiting + sender.sending;
  return (
    <section className="panel campaign-sender" aria-labelledby="sender-title" data-testid="sender-status">
      <h2 id="sender-title">Sending</h2>
      <p role="status" aria-live="polite">
        {sender.online ? 'Online.' : 'Offline: messages wait here and go out when the internet is back.'}{' '}
        {busy === 0
          ? 'Nothing waiting to go out.'
          : `${messages(sender.sending)} going out now, ${count(sender.queued)} queued, ${count(sender.waiting)} waiting for quiet hours to end or for the internet.`}
      </p>
      {sender.lastError !== null && (
        <p className="campaign-last-error">
          <strong>Last problem:</strong> {sender.lastError}
        </p>
      )}
    </section>
  );
}

function ProgressCell({ campaign }: { campaign: CampaignSummary }) {
  const done = handled(campaign.tally);
  if (campaign.state !== 'sending') return null;
  return (
    <progress
      className="campaign-progress"
      max={Math.max(1, campaign.tally.recipients)}
      value={done}
      aria-label={`${campaign.name}: ${count(done)} of ${count(campaign.tally.recipients)} sent`}
    />
  );
}

export function CampaignList() {
  useCampaignEvents();
  const progress = useCampaignsStore((state) => state.progress);
  const now = useNow(30_000);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<CampaignSummary> | null>(null);
  // The progress events the page was read after: only a newer event is newer than its rows.
  const [readAfter, setReadAfter] = useState<Record<string, CampaignProgress>>({});
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    void kasuwa.campaigns.list({ offset, limit: PAGE }).then((answer) => {
      if (answer.ok) {
        setPage(answer.value);
        setReadAfter(useCampaignsStore.getState().progress);
        setError(null);
      } else {
        setError(answer.error.message);
      }
    });
  }, [offset]);
  // Delivery reports arrive with sync: a pull that moved the cursor may have changed the tallies.
  const syncCursor = useSyncStatus()?.cursor ?? null;
  useEffect(load, [load, syncCursor]);

  // A campaign that changed state (scheduled → sending → done) or is new to this page: read the page again.
  const rows = page?.rows ?? [];
  const stale = Object.values(progress).some((each) => {
    if (readAfter[each.campaignId] === each) return false;
    const row = rows.find((candidate) => candidate.id === each.campaignId);
    return row === undefined ? offset === 0 : row.state !== each.state;
  });
  useEffect(() => {
    if (!stale) return;
    const timer = window.setTimeout(load, 500);
    return () => window.clearTimeout(timer);
  }, [stale, load]);

  if (page === null) {
    return error === null ? (
      <p aria-busy="true">Loading…</p>
    ) : (
      <p className="notice" role="alert">
        Could not read the campaigns. {error}
      </p>
    );
  }
  return (
    <div className="stack">
      <SenderPanel />
      <section className="panel" aria-labelledby="campaigns-title">
        <div className="campaign-section-head">
          <h2 id="campaigns-title">Campaigns</h2>
          <Link className="button primary" to="/campaigns/new">
            New campaign
          </Link>
        </div>
        {error !== null && (
          <p className="notice" role="alert">
            Could not read the campaigns again. {error}
          </p>
        )}
        {page.total === 0 ? (
          <p className="muted">
            No campaigns yet. <Link to="/campaigns/new">Start one</Link>: choose who, write the message, see
            the cost, send.
          </p>
        ) : (
          <>
            <table aria-label="Campaigns" className="campaign-table">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">State</th>
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
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => {
                  const live = progress[row.id] === readAfter[row.id] ? undefined : progress[row.id];
                  const campaign =
                    live === undefined ? row : { ...row, state: live.state, tally: live.tally };
                  const { tally } = campaign;
                  return (
                    <tr key={row.id} data-testid={`campaign-row-${row.name}`}>
                      <th scope="row">
                        <Link to={`/campaigns/${row.id}`}>{row.name}</Link>
                        <br />
                        <small className="muted">
                          {CHANNEL_WORDS[row.channel]} · {row.kind}
                          {row.trigger !== null && ` · automatic: ${TRIGGER_WORDS[row.trigger].title}`}
                        </small>
                      </th>
                      <td>
                        <StateBadge state={campaign.state} />
                        <ProgressCell campaign={campaign} />
                        {campaign.state === 'scheduled' && row.scheduledAt !== null && (
                          <small className="campaign-when">
                            for <When at={row.scheduledAt} now={now} future />
                          </small>
                        )}
                      </td>
                      <td className="cell-number">{count(tally.recipients)}</td>
                      <td className="cell-number">{count(tally.delivered)}</td>
                      <td className="cell-number">{count(tally.failed + tally.undeliverable)}</td>
                      <td className="cell-number" data-testid="campaign-rate">
                        {rateWords(tally)}
                      </td>
                      <td className="cell-number">
                        <Money kobo={tally.costKobo} />
                      </td>
                      <td>
                        <When at={row.createdAt} now={now} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager
              className="campaign-pager"
              offset={offset}
              limit={PAGE}
              total={page.total}
              onOffset={setOffset}
              noun="campaigns"
            />
          </>
        )}
      </section>
    </div>
  );
}
