/**
 * Errors cross the bridge as values. Every failure a screen can meet has a code and a sentence
 * a cashier understands; the details stay in the log.
 */
export const ERROR_CODES = [
  'invalid_input',
  'forbidden_sender',
  'unknown_channel',
  'locked',
  'wrong_passphrase',
  'wrong_key',
  'key_missing',
  'keychain_unavailable',
  'database_corrupt',
  'database_newer',
  'migration_changed',
  'not_found',
  'conflict',
  'unauthorized',
  'already_done',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface KasuwaErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: KasuwaErrorShape };

/** Thrown by services for failures the user should read; anything else becomes `internal`. */
export class KasuwaError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'KasuwaError';
    this.code = code;
    this.details = details;
  }

  toShape(): KasuwaErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Kasuwa and nothing was changed. Try again; if it keeps happening, the details are in the log.';
