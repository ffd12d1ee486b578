/**
 * Segments: the four ready-made ones and the shop's own, each with how many customers match and
 * how many each channel can reach; and the builder, where rules are added and removed while the
 * count and the first members follow a moment after each change.
 */
import { useEffect, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  CONTACT_CHANNELS,
  type Segment,
  type SegmentCount,
  type SegmentDefinition,
  type SegmentMember,
  type Page,
} from '../../../shared/contract';
import { formatNationalPhone, parseNigerianPhone } from '../../../shared/phone';
import { kasuwa } from '../../bridge';
import { TextField, fieldErrors } from '../../components/Field';
import { Money } from '../../components/Money';
import { call, useAppStore } from '../../state/app-store';
import { useCampaignsStore, useSegments } from '../../state/campaigns-store';
import { formatDay } from '../customers/CustomerRow';
import { count } from '../sync/words';
import { CHANNEL_WORDS, READY_SEGMENT_WORDS, people } from './CampaignWords';
import { ConfirmDialog } from './ConfirmDialog';
import {
  FIELD_LABELS,
  RuleEditor,
  SEGMENT_FIELDS,
  checkRule,
  newRuleDraft,
  ruleDraftOf,
  type RuleDraft,
} from './SegmentRules';
import { useLiveAnswer } from './useLiveAnswer';

const MEMBERS_SHOWN = 10;

function Reachable({ segmentCount }: { segmentCount: SegmentCount }) {
  return (
    <>
      {CONTACT_CHANNELS.map((channel) => (
        <td key={channel} className="cell-number">
          {count(segmentCount.reachable[channel])}
        </td>
      ))}
    </>
  );
}

function SegmentTable({
  title,
  segments,
  onDelete,
}: {
  title: string;
  segments: Segment[];
  onDelete: ((segment: Segment) => void) | null;
}) {
  return (
    <table aria-label={title} className="campaign-table">
      <thead>
        <tr>
          <th scope="col">Segment</th>
          <th scope="col" className="cell-number">
            Customers
          </th>
          {CONTACT_CHANNELS.map((channel) => (
            <th key={channel} scope="col" className="cell-number">
              {CHANNEL_WORDS[channel]}
            </th>
          ))}
          <th scope="col">
            <span className="campaign-visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {segments.map((segment) => (
          <tr key={segment.id} data-testid={`segment-${segment.ready ?? segment.name}`}>
            <th scope="row">
              {segment.name}
              {segment.ready !== null && (
                <>
                  <br />
                  <small className="muted">{READY_SEGMENT_WORDS[segment.ready]}</small>
                </>
              )}
            </th>
            <td className="cell-number">{count(segment.count.matching)}</td>
            <Reachable segmentCount={segment.count} />
            <td>
              <div className="campaign-row-actions">
                <Link
                  className="button"
                  to={`/campaigns/new?segment=${segment.id}`}
                  aria-label={`Send a campaign to ${segment.name}`}
                >
                  Send a campaign
                </Link>
                {segment.ready === null ? (
                  <Link
                    className="button"
                    to={`/campaigns/segments/${segment.id}`}
                    aria-label={`Edit ${segment.name}`}
                  >
                    Edit
                  </Link>
                ) : (
                  <Link
                    className="button"
                    to={`/campaigns/segments/new?from=${segment.id}`}
                    aria-label={`Copy and change ${segment.name}`}
                  >
                    Copy and change
                  </Link>
                )}
                {onDelete !== null && segment.ready === null && (
                  <button
                    type="button"
                    aria-label={`Delete ${segment.name}`}
                    onClick={() => onDelete(segment)}
                  >
                    Delete
                  </button>
                )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SegmentList() {
  const segments = useCampaignsStore((state) => state.segments);
  const loadError = useCampaignsStore((state) => state.loadErrors.segments);
  const loadSegments = useCampaignsStore((state) => state.loadSegments);
  const dropSegment = useCampaignsStore((state) => state.dropSegment);
  const showToast = useAppStore((state) => state.showToast);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  // Counts change with every sale and new customer: read them again whenever the list is shown.
  useEffect(() => void loadSegments(), [loadSegments]);

  if (segments === null) {
    return loadError === undefined ? (
      <p aria-busy="true">Loading…</p>
    ) : (
      <p className="notice" role="alert">
        Could not read the segments. {loadError}
      </p>
    );
  }
  const ready = segments.filter((segment) => segment.ready !== null);
  const own = segments.filter((segment) => segment.ready === null);
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="ready-segments-title">
        <div className="campaign-section-head">
          <h2 id="ready-segments-title">Ready-made segments</h2>
          <Link className="button primary" to="/campaigns/segments/new">
            New segment
          </Link>
        </div>
        <p className="muted">
          Numbers under each channel are the customers it can reach with an offer: they agreed and have the
          address.
        </p>
        <SegmentTable title="Ready-made segments" segments={ready} onDelete={null} />
      </section>
      <section className="panel" aria-labelledby="own-segments-title">
        <h2 id="own-segments-title">Your segments</h2>
        {own.length === 0 ? (
          <p className="muted">
            None yet. <Link to="/campaigns/segments/new">Build a segment</Link> from rules such as “spent at
            least ₦50,000” or “on MTN in Lagos”.
          </p>
        ) : (
          <SegmentTable title="Your segments" segments={own} onDelete={setDeleting} />
        )}
      </section>
      {deleting !== null && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete segment"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const answer = await call(kasuwa.campaigns.deleteSegment({ id: deleting.id }));
            if (answer.ok) {
              dropSegment(deleting.id);
              showToast('success', `${deleting.name} deleted.`);
            }
          }}
        >
          <p>Campaigns already sent to it keep their results.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const askCount = (key: string) =>
  kasuwa.campaigns.countSegment(JSON.parse(key) as { definition: SegmentDefinition });
const askMembers = (key: string) =>
  kasuwa.campaigns.segmentMembers(
    JSON.parse(key) as { segment: { definition: SegmentDefinition }; limit: number },
  );

function MemberPhone({ phone }: { phone: string }) {
  const parsed = parseNigerianPhone(phone);
  return <>{parsed.ok ? formatNationalPhone(parsed.national) : phone}</>;
}

function Members({ page, busy }: { page: Page<SegmentMember> | null; busy: boolean }) {
  if (page === null) return <p aria-busy="true">Loading…</p>;
  if (page.rows.length === 0) return <p className="muted">Nobody matches these rules yet.</p>;
  return (
    <div className="table-scroll" aria-busy={busy}>
      <table aria-label="First customers in this segment" className="campaign-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Phone</th>
            <th scope="col">Tier</th>
            <th scope="col" className="cell-number">
              Spent
            </th>
            <th scope="col">Last purchase</th>
            <th scope="col">Agreed to</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((member) => (
            <tr key={member.customerId}>
              <td>
                <Link to={`/customers/${member.customerId}`}>{member.displayName}</Link>
              </td>
              <td className="campaign-phone">
                <MemberPhone phone={member.phone} />
                {member.carrier !== null && <small className="muted"> {member.carrier}</small>}
              </td>
              <td className="capitalise">{member.tier}</td>
              <td className="cell-number">
                <Money kobo={member.totalSpentKobo} />
              </td>
              <td>{formatDay(member.lastPurchaseAt)}</td>
              <td>
                {CONTACT_CHANNELS.filter((channel) => member.consent[channel])
                  .map((channel) => CHANNEL_WORDS[channel])
                  .join(', ') || 'Nothing'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.total > page.rows.length && (
        <p className="muted">
          The first {count(page.rows.length)} of {people(page.total)}.
        </p>
      )}
    </div>
  );
}

function SegmentForm({ initial, copy }: { initial: Segment | null; copy: boolean }) {
  const navigate = useNavigate();
  const showToast = useAppStore((state) => state.showToast);
  const putSegment = useCampaignsStore((state) => state.putSegment);
  const [name, setName] = useState(initial === null ? '' : copy ? `${initial.name} (copy)` : initial.name);
  const [match, setMatch] = useState<'all' | 'any'>(initial?.definition.match ?? 'all');
  const [rules, setRules] = useState<RuleDraft[]>(() => initial?.definition.rules.map(ruleDraftOf) ?? []);
  const [adding, setAdding] = useState<(typeof SEGMENT_FIELDS)[number]>('totalSpent');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const checks = rules.map(checkRule);
  const finished = checks.flatMap((check) => (check.ok ? [check.rule] : []));
  const definition: SegmentDefinition | null =
    finished.length === checks.length ? { match, rules: finished } : null;
  const countKey = definition === null ? null : JSON.stringify({ definition });
  const membersKey =
    definition === null ? null : JSON.stringify({ segment: { definition }, limit: MEMBERS_SHOWN });
  const live = useLiveAnswer(countKey, askCount, 350);
  const members = useLiveAnswer(membersKey, askMembers, 350);

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (definition === null) return;
    setErrors({});
    setSaving(true);
    const answer = await call(
      kasuwa.campaigns.saveSegment({
        ...(initial !== null && !copy ? { id: initial.id } : {}),
        name,
        definition,
      }),
      { onError: (error) => setErrors(fieldErrors(error.details)) },
    );
    setSaving(false);
    if (answer.ok) {
      putSegment(answer.value);
      showToast('success', `${answer.value.name} saved: ${people(answer.value.count.matching)}.`);
      void navigate('/campaigns/segments');
    }
  };

  return (
    <form className="campaign-builder" onSubmit={(event) => void save(event)} aria-label="Segment builder">
      <div className="stack">
        <section className="panel" aria-labelledby="segment-rules-title">
          <h2 id="segment-rules-title">
            {initial === null || copy ? 'New segment' : `Change ${initial.name}`}
          </h2>
          <TextField
            label="Segment name"
            name="segmentName"
            value={name}
            maxLength={80}
            required
            error={errors.name}
            placeholder="Lagos big spenders"
            onChange={(event) => setName(event.target.value)}
          />
          <fieldset className="campaign-match">
            <legend>Customers must match</legend>
            <label className="inline-check">
              <input type="radio" name="match" checked={match === 'all'} onChange={() => setMatch('all')} />
              All the rules
            </label>
            <label className="inline-check">
              <input type="radio" name="match" checked={match === 'any'} onChange={() => setMatch('any')} />
              Any one of the rules
            </label>
          </fieldset>
          {rules.length === 0 && (
            <p className="muted">No rules yet: every customer in the book matches. Add a rule below.</p>
          )}
          {rules.map((draft, index) => {
            const check = checks[index];
            return (
              <RuleEditor
                key={draft.key}
                draft={draft}
                index={index}
                error={check !== undefined && !check.ok ? check.error : null}
                onChange={(next) => setRules(rules.map((each) => (each.key === draft.key ? next : each)))}
                onRemove={() => setRules(rules.filter((each) => each.key !== draft.key))}
              />
            );
          })}
          <div className="campaign-add-rule">
            <div className="field">
              <label htmlFor="segment-add-field">New rule about</label>
              <select
                id="segment-add-field"
                value={adding}
                onChange={(event) => setAdding(event.target.value as typeof adding)}
              >
                {SEGMENT_FIELDS.map((field) => (
                  <option key={field} value={field}>
                    {FIELD_LABELS[field]}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              disabled={rules.length >= 30}
              onClick={() => setRules([...rules, newRuleDraft(adding)])}
            >
              Add rule
            </button>
          </div>
          <div className="campaign-actions">
            <button type="submit" className="primary" disabled={definition === null || saving}>
              Save segment
            </button>
            <Link className="button" to="/campaigns/segments">
              Back to segments
            </Link>
          </div>
        </section>
      </div>
      <div className="stack campaign-sticky">
        <section
          className="panel campaign-count"
          aria-labelledby="segment-count-title"
          data-testid="segment-count"
        >
          <h2 id="segment-count-title">Who matches</h2>
          <SegmentCountView
            segmentCount={live.value}
            busy={live.busy}
            error={live.error?.message ?? null}
            incomplete={definition === null}
          />
        </section>
      </div>
      <section className="panel campaign-wide" aria-labelledby="segment-members-title">
        <h2 id="segment-members-title">First customers</h2>
        {definition === null ? (
          <p className="muted">Finish the rules to see who is in.</p>
        ) : members.error !== null ? (
          <p className="notice" role="alert">
            {members.error.message}
          </p>
        ) : (
          <Members page={members.value} busy={members.busy} />
        )}
      </section>
    </form>
  );
}

export function SegmentCountView({
  segmentCount,
  busy,
  error,
  incomplete = false,
}: {
  segmentCount: SegmentCount | null;
  busy: boolean;
  error: string | null;
  incomplete?: boolean;
}) {
  if (incomplete) return <p className="muted">Finish the rules marked in red to see the count.</p>;
  if (error !== null) {
    return (
      <p className="notice" role="alert">
        Could not count this segment. {error}
      </p>
    );
  }
  if (segmentCount === null) return <p aria-busy="true">Counting…</p>;
  return (
    <div aria-busy={busy}>
      <p className="campaign-big-count" role="status" aria-live="polite">
        <strong data-testid="segment-matching">{count(segmentCount.matching)}</strong>{' '}
        {segmentCount.matching === 1 ? 'customer matches' : 'customers match'}
      </p>
      <dl className="facts" data-testid="segment-reachable">
        {CONTACT_CHANNELS.map((channel) => (
          <div key={channel} className="fact-pair">
            <dt>Reachable by {CHANNEL_WORDS[channel]}</dt>
            <dd data-testid={`reachable-${channel}`}>{count(segmentCount.reachable[channel])}</dd>
          </div>
        ))}
      </dl>
      <small className="muted">
        {busy ? 'Counting again…' : `Counted in ${count(Math.max(1, Math.round(segmentCount.tookMs)))} ms`}
      </small>
    </div>
  );
}

export function SegmentBuilder() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const from = search.get('from');
  const segments = useSegments();
  const wanted = id ?? from;
  if (wanted === null) return <SegmentForm initial={null} copy={false} />;
  if (segments === null) return <p aria-busy="true">Loading…</p>;
  const initial = segments.find((segment) => segment.id === wanted);
  if (initial === undefined) {
    return (
      <p className="notice" role="alert">
        That segment is not there any more. <Link to="/campaigns/segments">Back to segments</Link>
      </p>
    );
  }
  return <SegmentForm key={initial.id} initial={initial} copy={id === undefined || initial.ready !== null} />;
}
