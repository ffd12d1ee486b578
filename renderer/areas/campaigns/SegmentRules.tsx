/**
 * The rules of a segment as the owner edits them: one draft per rule, every input kept as typed
 * (so "1,50" can be shown as wrong rather than guessed), turned into the contract's rule only
 * when it is complete. Naira become kobo here, through shared/money.ts.
 */
import { useId } from 'react';
import {
  CARRIERS,
  CONTACT_CHANNELS,
  TIERS,
  type ContactChannel,
  type SegmentField,
  type SegmentRule,
} from '../../../shared/contract';
import { DEFAULT_ZONES } from '../../../shared/delivery-zones';
import { parseNairaToKobo } from '../../../shared/money';
import { NIGERIAN_STATES, stateLabel } from '../../../shared/states';
import { CHANNEL_WORDS } from './CampaignWords';

export const FIELD_LABELS: Record<SegmentField, string> = {
  totalSpent: 'Total spent',
  purchaseCount: 'Number of purchases',
  points: 'Points balance',
  lastPurchase: 'Last purchase',
  added: 'Added to the book',
  tier: 'Tier',
  state: 'State',
  zone: 'Delivery zone',
  carrier: 'Network',
  tags: 'Tags',
  birthdayMonth: 'Birthday month',
  birthdayWithin: 'Birthday coming up',
  consent: 'Agreed to messages',
};

export const SEGMENT_FIELDS = Object.keys(FIELD_LABELS) as SegmentField[];

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const NUMBER_OPS = { 'at-least': 'at least', 'at-most': 'at most', between: 'between' } as const;
const SET_OPS = { in: 'is one of', 'not-in': 'is none of' } as const;
const LAST_PURCHASE_OPS = {
  'more-than': 'more than … days ago (lapsed)',
  within: 'within the last … days',
  never: 'never bought',
} as const;
const ADDED_OPS = {
  within: 'within the last … days',
  'more-than': 'more than … days ago',
  'this-month': 'this month',
} as const;
const TAG_OPS = { 'has-any': 'has any of', 'has-all': 'has all of', 'has-none': 'has none of' } as const;

/** One rule as typed: every input is text (or ticked choices) until the rule is complete. */
export interface RuleDraft {
  key: number;
  field: SegmentField;
  op: string;
  value: string;
  to: string;
  days: string;
  values: string[];
  tags: string;
  channel: ContactChannel;
  granted: boolean;
}

let nextKey = 1;

export function newRuleDraft(field: SegmentField): RuleDraft {
  const base: RuleDraft = {
    key: nextKey++,
    field,
    op: 'at-least',
    value: '',
    to: '',
    days: '',
    values: [],
    tags: '',
    channel: 'sms',
    granted: true,
  };
  switch (field) {
    case 'lastPurchase':
      return { ...base, op: 'more-than', days: '60' };
    case 'added':
      return { ...base, op: 'within', days: '30' };
    case 'tier':
    case 'state':
    case 'zone':
    case 'carrier':
    case 'birthdayMonth':
      return { ...base, op: 'in' };
    case 'tags':
      return { ...base, op: 'has-any' };
    case 'birthdayWithin':
      return { ...base, days: '7' };
    default:
      return base;
  }
}

function nairaText(kobo: number): string {
  const rest = kobo % 100;
  return `${Math.floor(kobo / 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

export function ruleDraftOf(rule: SegmentRule): RuleDraft {
  const draft = newRuleDraft(rule.field);
  switch (rule.field) {
    case 'totalSpent':
      return {
        ...draft,
        op: rule.op,
        value: nairaText(rule.value),
        to: rule.to === undefined ? '' : nairaText(rule.to),
      };
    case 'purchaseCount':
    case 'points':
      return {
        ...draft,
        op: rule.op,
        value: String(rule.value),
        to: rule.to === undefined ? '' : String(rule.to),
      };
    case 'lastPurchase':
    case 'added':
      return { ...draft, op: rule.op, days: String(rule.days) };
    case 'tier':
    case 'state':
    case 'zone':
    case 'carrier':
      return { ...draft, op: rule.op, values: [...rule.values] };
    case 'birthdayMonth':
      return { ...draft, op: rule.op, values: rule.values.map(String) };
    case 'tags':
      return { ...draft, op: rule.op, tags: rule.values.join(', ') };
    case 'birthdayWithin':
      return { ...draft, days: String(rule.days) };
    case 'consent':
      return { ...draft, channel: rule.channel, granted: rule.granted };
  }
}

export type RuleCheck = { ok: true; rule: SegmentRule } | { ok: false; error: string };

function wholeNumber(text: string, max: number): number | null {
  const cleaned = text.trim().replace(/,/g, '');
  if (!/^\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return value <= max ? value : null;
}

function range<T extends number>(
  op: string,
  value: T | null,
  to: T | null,
  words: { what: string; example: string },
): { ok: true; value: T; to?: T } | { ok: false; error: string } {
  if (value === null) return { ok: false, error: `Write ${words.what}, for example ${words.example}.` };
  if (op !== 'between') return { ok: true, value };
  if (to === null) return { ok: false, error: `Write the upper ${words.what} too.` };
  if (to < value) return { ok: false, error: 'The second amount must not be below the first.' };
  return { ok: true, value, to };
}

/** The contract's rule for a finished draft, or the sentence that says what is missing. */
export function checkRule(draft: RuleDraft): RuleCheck {
  const op = draft.op;
  switch (draft.field) {
    case 'totalSpent': {
      const naira = (text: string) => {
        const kobo = parseNairaToKobo(text);
        return kobo === null || kobo < 0 ? null : kobo;
      };
      const checked = range(op, naira(draft.value), naira(draft.to), {
        what: 'an amount in naira',
        example: '50,000',
      });
      if (!checked.ok) return checked;
      return { ok: true, rule: { field: 'totalSpent', op: op as keyof typeof NUMBER_OPS, ...checked } };
    }
    case 'purchaseCount':
    case 'points': {
      const checked = range(
        op,
        wholeNumber(draft.value, 1_000_000_000),
        wholeNumber(draft.to, 1_000_000_000),
        {
          what: 'a whole number',
          example: '5',
        },
      );
      if (!checked.ok) return checked;
      return { ok: true, rule: { field: draft.field, op: op as keyof typeof NUMBER_OPS, ...checked } };
    }
    case 'lastPurchase':
    case 'added': {
      const noDays = op === 'never' || op === 'this-month';
      const days = noDays ? 0 : wholeNumber(draft.days, 36_500);
      if (days === null) return { ok: false, error: 'Write a number of days, for example 60.' };
      return draft.field === 'lastPurchase'
        ? { ok: true, rule: { field: 'lastPurchase', op: op as keyof typeof LAST_PURCHASE_OPS, days } }
        : { ok: true, rule: { field: 'added', op: op as keyof typeof ADDED_OPS, days } };
    }
    case 'tier':
    case 'state':
    case 'zone':
    case 'carrier':
    case 'birthdayMonth': {
      if (draft.values.length === 0)
        return { ok: false, error: `Tick at least one ${CHOICE_NOUN[draft.field]}.` };
      const setOp = op as keyof typeof SET_OPS;
      switch (draft.field) {
        case 'tier':
          return {
            ok: true,
            rule: { field: 'tier', op: setOp, values: draft.values as (typeof TIERS)[number][] },
          };
        case 'state':
          return {
            ok: true,
            rule: { field: 'state', op: setOp, values: draft.values as (typeof NIGERIAN_STATES)[number][] },
          };
        case 'zone':
          return { ok: true, rule: { field: 'zone', op: setOp, values: draft.values } };
        case 'carrier':
          return {
            ok: true,
            rule: { field: 'carrier', op: setOp, values: draft.values as (typeof CARRIERS)[number][] },
          };
        case 'birthdayMonth':
          return { ok: true, rule: { field: 'birthdayMonth', op: setOp, values: draft.values.map(Number) } };
      }
      break;
    }
    case 'tags': {
      const values = splitTags(draft.tags);
      if (values.length === 0) return { ok: false, error: 'Write at least one tag, for example vip.' };
      if (values.some((tag) => tag.length > 40))
        return { ok: false, error: 'A tag is at most 40 characters.' };
      return {
        ok: true,
        rule: { field: 'tags', op: op as keyof typeof TAG_OPS, values: values.slice(0, 20) },
      };
    }
    case 'birthdayWithin': {
      const days = wholeNumber(draft.days, 366);
      if (days === null || days < 1) return { ok: false, error: 'Write a number of days from 1 to 366.' };
      return { ok: true, rule: { field: 'birthdayWithin', days } };
    }
    case 'consent':
      return { ok: true, rule: { field: 'consent', channel: draft.channel, granted: draft.granted } };
  }
  return { ok: false, error: 'This rule is not complete.' };
}

function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

const CHOICE_NOUN: Record<'tier' | 'state' | 'zone' | 'carrier' | 'birthdayMonth', string> = {
  tier: 'tier',
  state: 'state',
  zone: 'zone',
  carrier: 'network',
  birthdayMonth: 'month',
};

function OpSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: Record<string, string>;
  onChange: (op: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {Object.entries(options).map(([op, words]) => (
          <option key={op} value={op}>
            {words}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextInput({
  label,
  value,
  onChange,
  inputMode,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputMode?: 'numeric' | 'decimal' | 'text';
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        inputMode={inputMode}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

/** Tick boxes for a set of choices; a long list scrolls inside its box. */
function Choices({
  legend,
  options,
  selected,
  onChange,
}: {
  legend: string;
  options: readonly { value: string; label: string }[];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  return (
    <fieldset className={`campaign-choices${options.length > 12 ? ' campaign-choices-long' : ''}`}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="inline-check">
          <input
            type="checkbox"
            checked={selected.includes(option.value)}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? [...selected, option.value]
                  : selected.filter((value) => value !== option.value),
              )
            }
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

const CHOICE_OPTIONS = {
  tier: TIERS.map((tier) => ({ value: tier, label: tier.charAt(0).toUpperCase() + tier.slice(1) })),
  state: NIGERIAN_STATES.map((state) => ({ value: state, label: stateLabel(state) })),
  carrier: CARRIERS.map((carrier) => ({
    value: carrier,
    label: carrier === 'others' ? 'Other networks' : carrier,
  })),
  birthdayMonth: MONTHS.map((month, index) => ({ value: String(index + 1), label: month })),
  zone: DEFAULT_ZONES.map((zone) => ({ value: zone.id, label: zone.name })),
};

const CHOICE_LEGENDS = {
  tier: 'Tiers',
  state: 'States',
  zone: 'Delivery zones',
  carrier: 'Networks',
  birthdayMonth: 'Months',
};

/** The inputs of one rule, fitting its kind. */
export function RuleEditor({
  draft,
  index,
  error,
  onChange,
  onRemove,
}: {
  draft: RuleDraft;
  index: number;
  error: string | null;
  onChange: (draft: RuleDraft) => void;
  onRemove: () => void;
}) {
  const set = (patch: Partial<RuleDraft>) => onChange({ ...draft, ...patch });
  const title = FIELD_LABELS[draft.field];
  let inputs;
  switch (draft.field) {
    case 'totalSpent':
    case 'purchaseCount':
    case 'points': {
      const naira = draft.field === 'totalSpent';
      const what = naira ? 'Amount (₦)' : draft.field === 'points' ? 'Points' : 'Purchases';
      inputs = (
        <>
          <OpSelect
            label={`${title} is`}
            value={draft.op}
            options={NUMBER_OPS}
            onChange={(op) => set({ op })}
          />
          <TextInput
            label={draft.op === 'between' ? `From: ${what.toLowerCase()}` : what}
            value={draft.value}
            inputMode={naira ? 'decimal' : 'numeric'}
            placeholder={naira ? '50,000' : '5'}
            onChange={(value) => set({ value })}
          />
          {draft.op === 'between' && (
            <TextInput
              label={`To: ${what.toLowerCase()}`}
              value={draft.to}
              inputMode={naira ? 'decimal' : 'numeric'}
              onChange={(to) => set({ to })}
            />
          )}
        </>
      );
      break;
    }
    case 'lastPurchase':
    case 'added': {
      const options = draft.field === 'lastPurchase' ? LAST_PURCHASE_OPS : ADDED_OPS;
      inputs = (
        <>
          <OpSelect
            label={`${title} was`}
            value={draft.op}
            options={options}
            onChange={(op) => set({ op })}
          />
          {draft.op !== 'never' && draft.op !== 'this-month' && (
            <TextInput
              label="Days"
              value={draft.days}
              inputMode="numeric"
              onChange={(days) => set({ days })}
            />
          )}
        </>
      );
      break;
    }
    case 'tier':
    case 'state':
    case 'carrier':
    case 'birthdayMonth':
    case 'zone': {
      const field = draft.field;
      inputs = (
        <>
          <OpSelect label={title} value={draft.op} options={SET_OPS} onChange={(op) => set({ op })} />
          <Choices
            legend={CHOICE_LEGENDS[field]}
            options={CHOICE_OPTIONS[field]}
            selected={draft.values}
            onChange={(values) => set({ values })}
          />
        </>
      );
      break;
    }
    case 'tags':
      inputs = (
        <>
          <OpSelect label="The customer" value={draft.op} options={TAG_OPS} onChange={(op) => set({ op })} />
          <TextInput
            label="Tags (comma-separated)"
            value={draft.tags}
            placeholder="vip, wholesale"
            onChange={(tags) => set({ tags })}
          />
        </>
      );
      break;
    case 'birthdayWithin':
      inputs = (
        <TextInput
          label="Birthday within the next … days"
          value={draft.days}
          inputMode="numeric"
          onChange={(days) => set({ days })}
        />
      );
      break;
    case 'consent':
      inputs = (
        <>
          <OpSelect
            label="Channel"
            value={draft.channel}
            options={Object.fromEntries(CONTACT_CHANNELS.map((channel) => [channel, CHANNEL_WORDS[channel]]))}
            onChange={(channel) => set({ channel: channel as ContactChannel })}
          />
          <OpSelect
            label="The customer"
            value={draft.granted ? 'yes' : 'no'}
            options={{ yes: 'has agreed', no: 'has not agreed' }}
            onChange={(answer) => set({ granted: answer === 'yes' })}
          />
        </>
      );
      break;
  }
  return (
    <fieldset className="campaign-rule" data-testid={`rule-${draft.field}`}>
      <legend>
        Rule {index + 1}: {title}
      </legend>
      <div className="campaign-rule-inputs">{inputs}</div>
      {error !== null && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="campaign-link-button campaign-remove" onClick={onRemove}>
        Remove rule {index + 1} ({title})
      </button>
    </fieldset>
  );
}
