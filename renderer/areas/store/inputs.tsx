/**
 * The store builder's own inputs: long text, naira amounts and day counts that keep what the
 * owner is typing while only a valid value reaches the draft, switches, and pictures shrunk in
 * the page before they are saved (the draft takes data URLs of at most 400,000 characters).
 */
import { useId, useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { parseNairaToKobo } from '../../../shared/money';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

function Described({ id, error, hint }: { id: string; error?: string | undefined; hint?: ReactNode }) {
  return (
    <>
      {hint !== undefined && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error !== undefined && (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      )}
    </>
  );
}

function describedBy(id: string, error: string | undefined, hint: ReactNode): string | undefined {
  const ids = [hint !== undefined ? `${id}-hint` : null, error !== undefined ? `${id}-error` : null];
  const joined = ids.filter((each) => each !== null).join(' ');
  return joined === '' ? undefined : joined;
}

export function TextAreaField({
  label,
  error,
  hint,
  ...textarea
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...textarea}
      />
      <Described id={id} error={error} hint={hint} />
    </div>
  );
}

/** Kobo as the owner would type them back: 150000 → "1500", 150050 → "1500.50". */
export function nairaText(kobo: number | null): string {
  if (kobo === null) return '';
  const rest = kobo % 100;
  return `${Math.floor(kobo / 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

/**
 * Text that stands for a value: the box keeps the owner's text as typed ("1,500", a blank line
 * between places), and follows the value only when it changes from elsewhere (a reset), not when
 * the text already says it.
 */
export function useValueText<T>(
  value: T,
  format: (value: T) => string,
  parse: (text: string) => T | undefined,
): readonly [string, (text: string) => void] {
  const formatted = format(value);
  const [text, setText] = useState(formatted);
  const [shown, setShown] = useState(formatted);
  if (shown !== formatted) {
    setShown(formatted);
    const typed = parse(text);
    if (typed === undefined || format(typed) !== formatted) setText(formatted);
  }
  return [text, setText] as const;
}

/** An amount in naira; with `allowBlank` an empty box gives null (such as "the counter's price"). */
export function NairaField({
  label,
  kobo,
  onKobo,
  allowBlank = false,
  error,
  hint,
  placeholder,
}: FieldProps & {
  kobo: number | null;
  onKobo: (kobo: number | null) => void;
  allowBlank?: boolean;
  placeholder?: string;
}) {
  const id = useId();
  const parse = (text: string): number | null | undefined => {
    if (text.trim() === '') return allowBlank ? null : undefined;
    const parsed = parseNairaToKobo(text);
    return parsed === null || parsed < 0 ? undefined : parsed;
  };
  const [text, setText] = useValueText(kobo, nairaText, parse);
  const typed = parse(text);
  const ownError =
    typed === undefined
      ? text.trim() === ''
        ? 'Enter an amount in naira'
        : 'Enter an amount in naira, like 1500 or 1,500.50'
      : undefined;
  const shownError = ownError ?? error;
  return (
    <div className="field store-naira-field">
      <label htmlFor={id}>{label}</label>
      <span className="store-naira-input">
        <span aria-hidden="true">₦</span>
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          value={text}
          placeholder={placeholder}
          aria-invalid={shownError !== undefined}
          aria-describedby={describedBy(id, shownError, hint)}
          onChange={(event) => {
            setText(event.target.value);
            const next = parse(event.target.value);
            if (next !== undefined) onKobo(next);
          }}
          onBlur={() => {
            if (typed !== undefined) setText(nairaText(typed));
          }}
        />
      </span>
      <Described id={id} error={shownError} hint={hint} />
    </div>
  );
}

/** A whole number of days (or anything countable) from `min` to `max`. */
export function WholeNumberField({
  label,
  value,
  onValue,
  min,
  max,
  error,
  hint,
}: FieldProps & { value: number; onValue: (value: number) => void; min: number; max: number }) {
  const id = useId();
  const parse = (text: string): number | undefined => {
    if (!/^\d{1,4}$/.test(text.trim())) return undefined;
    const number = Number(text.trim());
    return number >= min && number <= max ? number : undefined;
  };
  const [text, setText] = useValueText(value, String, parse);
  const ownError = parse(text) === undefined ? `Enter a whole number from ${min} to ${max}` : undefined;
  const shownError = ownError ?? error;
  return (
    <div className="field store-number-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="numeric"
        autoComplete="off"
        value={text}
        aria-invalid={shownError !== undefined}
        aria-describedby={describedBy(id, shownError, hint)}
        onChange={(event) => {
          setText(event.target.value);
          const next = parse(event.target.value);
          if (next !== undefined) onValue(next);
        }}
      />
      <Described id={id} error={shownError} hint={hint} />
    </div>
  );
}

export function CheckField({
  label,
  checked,
  onChecked,
  hint,
}: {
  label: ReactNode;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="store-check">
      <label className="inline-check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={hint === undefined ? undefined : `${id}-hint`}
          onChange={(event) => onChecked(event.target.checked)}
        />
        {label}
      </label>
      {hint !== undefined && (
        <small id={`${id}-hint`} className="hint store-check-hint">
          {hint}
        </small>
      )}
    </div>
  );
}

const PICTURE_LIMIT = 390_000;

/**
 * A picture resized to at most `maxSide` px as a WebP data URL under the draft's limit; a photo
 * too detailed for the limit is tried again smaller and coarser.
 */
export async function shrinkPicture(file: File, maxSide: number): Promise<string> {
  const bitmap = await createImageBitmap(file);
  let side = maxSide;
  let quality = 0.82;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/webp', quality);
    if (url.length <= PICTURE_LIMIT && url.startsWith('data:image/webp')) return url;
    // A browser without a WebP encoder gives PNG: JPEG is then the smaller choice.
    if (!url.startsWith('data:image/webp')) {
      const jpeg = canvas.toDataURL('image/jpeg', quality);
      if (jpeg.length <= PICTURE_LIMIT) return jpeg;
    }
    side = Math.round(side * 0.75);
    quality = Math.max(0.5, quality - 0.08);
  }
  throw new Error('too large');
}

/** A picture chosen from the computer, shown small, with a way to take it off. */
export function PictureField({
  label,
  value,
  onValue,
  maxSide,
  alt,
  error,
  hint,
}: FieldProps & {
  value: string | null;
  onValue: (value: string | null) => void;
  maxSide: number;
  alt: string;
}) {
  const id = useId();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const shownError = problem ?? error;
  return (
    <div className="field store-picture-field">
      <label htmlFor={id}>{label}</label>
      <div className="store-picture-row">
        {value !== null ? (
          <img className="store-picture" src={value} alt={alt} />
        ) : (
          <span className="store-picture store-picture-empty" aria-hidden="true">
            No picture
          </span>
        )}
        <div className="store-picture-actions">
          <input
            id={id}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            aria-invalid={shownError !== undefined}
            aria-describedby={describedBy(id, shownError, hint)}
            disabled={busy}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file === undefined) return;
              setBusy(true);
              setProblem(undefined);
              shrinkPicture(file, maxSide)
                .then(onValue)
                .catch(() => setProblem('Kasuwa could not read that picture. Try a PNG, JPEG or WebP file.'))
                .finally(() => setBusy(false));
            }}
          />
          {value !== null && (
            <button type="button" onClick={() => onValue(null)}>
              Remove {label.toLowerCase()}
            </button>
          )}
        </div>
      </div>
      <Described id={id} error={shownError} hint={hint} />
    </div>
  );
}
