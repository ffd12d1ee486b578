/**
 * How long an SMS is and what it costs, counted in the renderer with shared/sms.ts as the owner
 * types: characters, pages, encoding, and which characters force UCS-2 (70 a page, not 160) with
 * what they add to the bill.
 */
import { smsSegments, ucs2Characters } from '../../../shared/sms';
import { formatNaira } from '../../../shared/money';
import { pages } from './CampaignWords';

/** A character as the owner can find it in the text; invisible ones are named. */
function characterWords(character: string): string {
  if (/\s/u.test(character)) {
    const code = character.codePointAt(0) ?? 0;
    return `an invisible space (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  }
  return `“${character}”`;
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

const SUGGESTIONS: Record<string, string> = {
  '₦': 'write N or NGN instead of ₦',
  '‘': "use a straight quote (') instead of curly ones",
  '’': "use a straight quote (') instead of curly ones",
  '“': 'use straight quotes (") instead of curly ones',
  '”': 'use straight quotes (") instead of curly ones',
  '–': 'use a hyphen (-) instead of a dash',
  '—': 'use a hyphen (-) instead of a dash',
  '…': 'write three dots (...) instead of “…”',
};

/**
 * The same text with each of those characters replaced by one plain one: what it would cost in
 * GSM-7. Walks code points, as shared/sms.ts does.
 */
function plainText(text: string, forcing: string[]): string {
  let plain = '';
  for (const character of text) plain += forcing.includes(character) ? '?' : character;
  return plain;
}

export function SmsMeter({
  text,
  extraText = '',
  rateKobo,
  forWhom,
}: {
  /** The message as one customer gets it (or the body while no preview is back yet). */
  text: string;
  /** More text whose characters count for the warning (the body as written). */
  extraText?: string;
  rateKobo: number | null;
  forWhom: string | null;
}) {
  const measured = smsSegments(text);
  const forcing = ucs2Characters(`${text}${extraText}`);
  const perCustomer = rateKobo === null ? null : measured.segments * rateKobo;
  const plain = smsSegments(plainText(text, forcing));
  const suggestions = [...new Set(forcing.flatMap((character) => SUGGESTIONS[character] ?? []))];
  return (
    <section className="campaign-sms-meter" aria-labelledby="sms-meter-title" data-testid="sms-meter">
      <h3 id="sms-meter-title">SMS length{forWhom === null ? '' : ` for ${forWhom}`}</h3>
      <dl className="facts">
        <dt>Characters</dt>
        <dd data-testid="sms-characters">{measured.length.toLocaleString('en-NG')}</dd>
        <dt>Pages</dt>
        <dd data-testid="sms-pages">
          {measured.segments} ({measured.charsPerSegment} characters a page)
        </dd>
        <dt>Encoding</dt>
        <dd data-testid="sms-encoding">{measured.encoding}</dd>
        {perCustomer !== null && (
          <>
            <dt>Cost per customer</dt>
            <dd data-testid="sms-cost">{formatNaira(perCustomer)}</dd>
          </>
        )}
      </dl>
      {measured.encoding === 'GSM-7' && (
        <p className="muted">
          Extension characters such as € [ ] {'{'} {'}'} ~ | ^ \ count as two.
        </p>
      )}
      {forcing.length > 0 && (
        <div className="campaign-warning" role="note" data-testid="ucs2-warning">
          <p>
            <strong>
              {listWords(forcing.map(characterWords))} {forcing.length === 1 ? 'makes' : 'make'} this a UCS-2
              message.
            </strong>{' '}
            A page then holds 70 characters instead of 160 (67 instead of 153 once it is split), so it takes{' '}
            {pages(measured.segments)}
            {perCustomer !== null && rateKobo !== null && (
              <>
                {' '}
                ({formatNaira(perCustomer)} per customer); without {forcing.length === 1 ? 'it' : 'them'} it
                would take {pages(plain.segments)} ({formatNaira(plain.segments * rateKobo)})
              </>
            )}
            .
          </p>
          {suggestions.length > 0 && <p>To keep it cheaper: {suggestions.join('; ')}.</p>}
        </div>
      )}
    </section>
  );
}
