/**
 * Email through the shop's own SMTP server, one pooled nodemailer transporter per provider.
 * Each message carries `Message-ID: <our id@kasuwa>`, so a bounce can be matched to it. SMTP
 * replies decide the outcome: accepted is sent, 4xx is "try later", 5xx is final. SMTP has no
 * history to ask, so a message a crash left unanswered stays unknown and is not sent again.
 */
import nodemailer from 'nodemailer';
import type { MessageProvider, OutgoingMessage, SendOutcome, SettleOutcome } from './provider';
import { PROVIDER_TIMEOUT_MS, scrub } from './http';

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false uses STARTTLS when the server offers it. */
  secure: boolean;
  /** Empty: the server takes mail without logging in. */
  username: string;
  password: string;
  /** The sender, as `Shop Name <shop@example.com>` or a bare address. */
  from: string;
  timeoutMs?: number;
  maxConnections?: number;
}

/** Errors that end the connection rather than refuse the message: the next try may go through. */
const CONNECTION_TROUBLE = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
]);

function openPool(config: SmtpConfig) {
  const timeout = config.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  return nodemailer.createTransport({
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.username.length > 0 ? { user: config.username, pass: config.password } : undefined,
    maxConnections: config.maxConnections ?? 3,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    // The message is plain text we wrote: nothing in it may make nodemailer read a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
}

interface SmtpFailure {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

export class SmtpProvider implements MessageProvider {
  readonly name = 'smtp' as const;
  readonly channel = 'email' as const;
  private readonly transporter: ReturnType<typeof openPool>;

  constructor(private readonly config: SmtpConfig) {
    this.transporter = openPool(config);
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendOutcome> {
    signal.throwIfAborted();
    if (!/^[^\s@]+@[^\s@]+$/.test(message.to)) return { outcome: 'failed', reason: 'Not an email address' };
    if (this.config.from.length === 0) {
      return { outcome: 'failed', reason: 'Email needs a sender address: set it in the campaign settings' };
    }
    const messageId = `<${message.id}@kasuwa>`;
    try {
      const info = await this.transporter.sendMail({
        from: this.config.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
        messageId,
        signal,
      });
      const taken = info.accepted.some((address) => address.toLowerCase() === message.to.toLowerCase());
      if (taken) return { outcome: 'sent', providerMessageId: info.messageId, costKobo: null };
      return this.refused(info.rejectedErrors?.[0] ?? { response: info.response });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return this.refused(error as SmtpFailure);
    }
  }

  private refused(failure: SmtpFailure): SendOutcome {
    const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : null;
    const code = typeof failure.code === 'string' ? failure.code : null;
    const said =
      typeof failure.response === 'string' && failure.response.length > 0
        ? failure.response
        : typeof failure.message === 'string'
          ? failure.message
          : 'no reply';
    if (code === 'EAUTH' || code === 'ENOAUTH') {
      return {
        outcome: 'failed',
        reason: 'The SMTP server refused the username or password (check them in Settings)',
      };
    }
    if (responseCode !== null) {
      // 503 is "bad sequence of commands": the session's state, not the message; a new one may do.
      if ((responseCode >= 400 && responseCode < 500) || responseCode === 503) {
        return { outcome: 'retry', reason: this.reason(said), retryAfterMs: null };
      }
      if (responseCode >= 500) return { outcome: 'failed', reason: this.reason(said) };
    }
    if (code !== null && CONNECTION_TROUBLE.has(code)) {
      return { outcome: 'retry', reason: this.reason(`${code}: ${said}`), retryAfterMs: null };
    }
    return { outcome: 'failed', reason: this.reason(code === null ? said : `${code}: ${said}`) };
  }

  settle(): Promise<SettleOutcome> {
    return Promise.resolve({ outcome: 'unknown' });
  }

  /** Closes the pool's connections (a message being sent finishes first). */
  close(): Promise<void> {
    this.transporter.close();
    return Promise.resolve();
  }

  private reason(text: string): string {
    return `SMTP: ${scrub(text, [this.config.password])}`;
  }
}
