/** A labelled form field whose error sentence sits right under it and is read out by screen readers. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

export function TextField({
  label,
  error,
  hint,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? `${id}-error` : undefined}
        {...input}
      />
      {hint !== undefined && <small className="hint">{hint}</small>}
      {error !== undefined && (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

export function SelectField({
  label,
  error,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error !== undefined} {...select}>
        {children}
      </select>
      {error !== undefined && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

/** Field errors from an `invalid_input` envelope's details, keyed by the dotted path. */
export function fieldErrors(details: unknown): Record<string, string> {
  if (!Array.isArray(details)) return {};
  const errors: Record<string, string> = {};
  for (const issue of details as { path?: unknown; message?: unknown }[]) {
    if (Array.isArray(issue.path) && typeof issue.message === 'string') {
      errors[issue.path.join('.')] ??= issue.message;
    }
  }
  return errors;
}
