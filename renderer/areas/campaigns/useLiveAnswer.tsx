/**
 * A question to the main process asked again, a moment after its input last changed: the live
 * segment count, the first members, the preview, the cost. Only the answer to the input on screen
 * now counts; an older, slower answer is dropped, and the last good value stays up meanwhile.
 */
import { useEffect, useState } from 'react';
import type { Envelope, KasuwaErrorShape } from '../../../shared/errors';

export interface LiveAnswer<T> {
  value: T | null;
  error: KasuwaErrorShape | null;
  /** A newer question is on its way (the value shown is the last one). */
  busy: boolean;
}

/**
 * `key` is the whole input as JSON (null: nothing to ask yet); `ask` turns it into the call. Give
 * `ask` from module scope so it stays the same function between renders.
 */
export function useLiveAnswer<T>(
  key: string | null,
  ask: (key: string) => Promise<Envelope<T>>,
  delayMs = 300,
): LiveAnswer<T> {
  const [answered, setAnswered] = useState<{ key: string; envelope: Envelope<T> } | null>(null);
  const [lastValue, setLastValue] = useState<T | null>(null);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = window.setTimeout(() => {
      void ask(key).then((envelope) => {
        if (!current) return;
        setAnswered({ key, envelope });
        if (envelope.ok) setLastValue(envelope.value);
      });
    }, delayMs);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [key, ask, delayMs]);
  if (key === null) return { value: null, error: null, busy: false };
  const fresh = answered !== null && answered.key === key ? answered.envelope : null;
  return {
    value: fresh?.ok === true ? fresh.value : lastValue,
    error: fresh !== null && !fresh.ok ? fresh.error : null,
    busy: fresh === null,
  };
}
