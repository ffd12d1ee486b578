/**
 * The one wrapper every channel goes through, in Electron and in the browser host alike: it
 * refuses unknown channels, parses the input with the channel's zod schema, calls the handler,
 * and answers with an envelope. An exception inside a service becomes an `internal` error
 * envelope and a log line; it never reaches (or crashes) the main process.
 */
import type { z } from 'zod';
import {
  channels,
  isChannelName,
  type ChannelName,
  type ChannelParsedInput,
  type ChannelResult,
} from '../../shared/contract';
import { INTERNAL_ERROR_MESSAGE, KasuwaError, type Envelope } from '../../shared/errors';
import type { Log } from '../services/app/log';
import { isTrustedRendererUrl } from './trusted-sender';

export type Handler<C extends ChannelName> = (
  input: ChannelParsedInput<C>,
) => ChannelResult<C> | Promise<ChannelResult<C>>;

export type HandlerTable = { [C in ChannelName]: Handler<C> };

export type Dispatch = (channel: unknown, input: unknown) => Promise<Envelope<unknown>>;

function describeIssues(issues: z.core.$ZodIssue[]): { message: string; details: unknown } {
  const first = issues[0];
  const where = first !== undefined && first.path.length > 0 ? ` (${first.path.join('.')})` : '';
  return {
    message: `Some of what was sent is not right${where}: ${first?.message ?? 'invalid input'}.`,
    details: issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String), message: issue.message })),
  };
}

export function createDispatch(table: HandlerTable, log: Log): Dispatch {
  return async (channel, input) => {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'unknown_channel', message: 'Kasuwa does not know that request.' } };
    }
    const parsed = channels[channel].input.safeParse(input);
    if (!parsed.success) {
      const { message, details } = describeIssues(parsed.error.issues);
      return { ok: false, error: { code: 'invalid_input', message, details } };
    }
    try {
      const handler = table[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof KasuwaError) return { ok: false, error: error.toShape() };
      log.error('handler failed', { channel, error });
      return { ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } };
    }
  };
}

/** The part of Electron's IpcMainInvokeEvent the wrapper reads; tests pass a fake. */
export interface InvokeEvent {
  senderFrame: { url: string } | null;
}

/** Electron binding: the sender frame must be our own page before anything is parsed. */
export function handleInvoke(
  dispatch: Dispatch,
  log: Log,
  event: InvokeEvent,
  channel: unknown,
  input: unknown,
): Promise<Envelope<unknown>> {
  const url = event.senderFrame?.url ?? '';
  if (!isTrustedRendererUrl(url)) {
    log.warn('ipc from a foreign sender refused', { channel: String(channel), url });
    return Promise.resolve({
      ok: false,
      error: { code: 'forbidden_sender', message: 'This request did not come from the Kasuwa window.' },
    });
  }
  return dispatch(channel, input);
}
