/**
 * Stand-ins for Paystack and Flutterwave on 127.0.0.1, speaking the parts of their documented APIs
 * the storefront uses, in their shapes:
 *
 *   Paystack     POST /transaction/initialize (amount in kobo) → data.authorization_url;
 *                GET  /transaction/verify/:reference → data.status 'success' | 'failed' | …
 *   Flutterwave  POST /v3/payments (amount in naira) → data.link;
 *                GET  /v3/transactions/:id/verify → data.status 'successful' | 'failed', data.tx_ref;
 *                GET  /v3/transactions/verify_by_reference?tx_ref= → the same, for the newest
 *                     transaction under the tx_ref ("No transaction was found" before any)
 *
 * and their webhooks: `postWebhook()` posts what the provider posts to a merchant's webhook URL
 * for a transaction — Paystack's `charge.success` signed with `x-paystack-signature` (hex
 * HMAC-SHA512 of the body with the secret key, or with another key to play a forger),
 * Flutterwave's `charge.completed` with the `verif-hash` header set to the secret hash given —
 * and answers with the merchant's status and body.
 *
 * Each checks the Bearer secret key (a wrong one gets the provider's own 401), refuses what the
 * provider refuses (a duplicate Paystack reference, a missing email), records every request, and
 * can be told to answer the next requests with a 500 or not at all (for timeouts). `pay()` plays
 * the shopper at the checkout page and returns the URL the provider would send their browser back
 * to, with the query each provider adds.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** What the next requests get instead of a normal answer. */
export type PaymentFakeFailure = { answer: 500 } | { answer: 'silent' };

interface FakeBase {
  readonly url: string;
  readonly secretKey: string;
  readonly requests: readonly RecordedRequest[];
  /** The next `count` requests (after the key check) get `failure`. */
  failNext(count: number, failure: PaymentFakeFailure): void;
  close(): Promise<void>;
}

export interface PaystackTransaction {
  id: number;
  reference: string;
  amount: number;
  currency: string;
  email: string;
  callbackUrl: string;
  status: 'ongoing' | 'success' | 'failed' | 'abandoned';
}

/** What the merchant's server answered a webhook. */
export interface WebhookAnswer {
  status: number;
  body: unknown;
}

export interface FakePaystack extends FakeBase {
  readonly transactions: ReadonlyMap<string, PaystackTransaction>;
  /**
   * Posts Paystack's webhook for the transaction to `url`: `charge.success` (or `event`), signed
   * with the secret key, or with `signingKey` (a forger's), or with `signature` as given.
   */
  postWebhook(
    url: string,
    reference: string,
    options?: { event?: string; signingKey?: string; signature?: string },
  ): Promise<WebhookAnswer>;
  /** The shopper at the checkout: the transaction ends so; returns Paystack's callback redirect. */
  pay(
    reference: string,
    outcome?: { status?: 'success' | 'failed'; amountKobo?: number; currency?: string },
  ): string;
}

export interface FlutterwavePayment {
  txRef: string;
  amount: number;
  currency: string;
  redirectUrl: string;
  customer: { email: string; phonenumber: string; name: string };
}

export interface FlutterwaveTransaction {
  id: number;
  tx_ref: string;
  amount: number;
  currency: string;
  status: 'successful' | 'failed';
}

export interface FakeFlutterwave extends FakeBase {
  readonly payments: ReadonlyMap<string, FlutterwavePayment>;
  readonly transactions: ReadonlyMap<number, FlutterwaveTransaction>;
  /** The shopper at the checkout: a transaction under the tx_ref; returns the redirect with its id. */
  pay(
    txRef: string,
    outcome?: { status?: 'successful' | 'failed'; amountNaira?: number; currency?: string },
  ): string;
  /** The shopper closes the checkout: the redirect carries no transaction. */
  cancel(txRef: string): string;
  /**
   * Posts Flutterwave's webhook for the transaction to `url`: `charge.completed` (or `event`),
   * with `verif-hash: secretHash` (none when null).
   */
  postWebhook(
    url: string,
    transactionId: number,
    options: { secretHash: string | null; event?: string },
  ): Promise<WebhookAnswer>;
}

/** One webhook post as the providers send it: JSON, the exact bytes given. */
async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<WebhookAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the test reads the text.
  }
  return { status: response.status, body: parsed };
}

const MAX_BODY = 64 * 1024;

type Answer = { status: number; body: unknown };
type Route = (request: RecordedRequest) => Answer;

async function startFake(
  secretKey: string,
  unauthorized: unknown,
  route: Route,
): Promise<{
  url: string;
  requests: RecordedRequest[];
  failNext: (count: number, failure: PaymentFakeFailure) => void;
  close: () => Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const failures: PaymentFakeFailure[] = [];
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    incoming.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = text;
      }
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        authorization: incoming.headers.authorization,
        body,
      };
      requests.push(recorded);
      const send = ({ status, body: answer }: Answer) => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      };
      if (incoming.headers.authorization !== `Bearer ${secretKey}`) {
        send({ status: 401, body: unauthorized });
        return;
      }
      const failure = failures.shift();
      if (failure?.answer === 'silent') return;
      if (failure?.answer === 500) {
        response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
        return;
      }
      send(route(recorded));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, failure) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const withQuery = (base: string, query: Record<string, string>) => {
  const url = new URL(base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export async function startFakePaystack(
  secretKey = 'sk_test_4f0e8c1d2b3a49586f7e6d5c4b3a29180f1e2d3c',
): Promise<FakePaystack> {
  const transactions = new Map<string, PaystackTransaction>();
  let nextId = 4_099_260_516;
  let url = '';
  const refuse = (message: string): Answer => ({ status: 400, body: { status: false, message } });

  const fake = await startFake(secretKey, { status: false, message: 'Invalid key' }, (request) => {
    if (request.method === 'POST' && request.path === '/transaction/initialize') {
      const body = isObject(request.body) ? request.body : {};
      const amount = Number(body.amount);
      if (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body.email)) {
        return refuse('Invalid Email Address Passed');
      }
      if (!Number.isInteger(amount) || amount <= 0) return refuse('Invalid Amount Sent');
      const reference = typeof body.reference === 'string' ? body.reference : `T${nextId}`;
      if (transactions.has(reference)) return refuse('Duplicate Transaction Reference');
      const accessCode = `ac_${nextId.toString(36)}`;
      transactions.set(reference, {
        id: nextId,
        reference,
        amount,
        currency: typeof body.currency === 'string' ? body.currency : 'NGN',
        email: body.email,
        callbackUrl: typeof body.callback_url === 'string' ? body.callback_url : '',
        status: 'ongoing',
      });
      nextId += 1;
      return {
        status: 200,
        body: {
          status: true,
          message: 'Authorization URL created',
          data: { authorization_url: `${url}/checkout/${accessCode}`, access_code: accessCode, reference },
        },
      };
    }
    const verify = /^\/transaction\/verify\/([^/?]+)$/.exec(request.path);
    if (request.method === 'GET' && verify?.[1] !== undefined) {
      const transaction = transactions.get(decodeURIComponent(verify[1]));
      if (transaction === undefined) return refuse('Transaction reference not found');
      return {
        status: 200,
        body: {
          status: true,
          message: 'Verification successful',
          data: {
            id: transaction.id,
            domain: 'test',
            status: transaction.status,
            reference: transaction.reference,
            amount: transaction.amount,
            gateway_response: transaction.status === 'success' ? 'Successful' : 'Declined',
            channel: 'card',
            currency: transaction.currency,
            customer: { email: transaction.email },
          },
        },
      };
    }
    return { status: 404, body: { status: false, message: 'Not found' } };
  });
  url = fake.url;
  return {
    url: fake.url,
    secretKey,
    requests: fake.requests,
    transactions,
    failNext: fake.failNext,
    close: fake.close,
    pay(reference, outcome = {}) {
      const transaction = transactions.get(reference);
      if (transaction === undefined) throw new Error(`no Paystack transaction ${reference}`);
      transaction.status = outcome.status ?? 'success';
      if (outcome.amountKobo !== undefined) transaction.amount = outcome.amountKobo;
      if (outcome.currency !== undefined) transaction.currency = outcome.currency;
      return withQuery(transaction.callbackUrl, { trxref: reference, reference });
    },
    async postWebhook(target, reference, options = {}) {
      const transaction = transactions.get(reference);
      if (transaction === undefined) throw new Error(`no Paystack transaction ${reference}`);
      const body = JSON.stringify({
        event: options.event ?? 'charge.success',
        data: {
          id: transaction.id,
          domain: 'test',
          status: transaction.status,
          reference: transaction.reference,
          amount: transaction.amount,
          gateway_response: transaction.status === 'success' ? 'Successful' : 'Declined',
          channel: 'card',
          currency: transaction.currency,
          customer: { email: transaction.email },
        },
      });
      const signature =
        options.signature ??
        createHmac('sha512', options.signingKey ?? secretKey)
          .update(body)
          .digest('hex');
      return postWebhook(target, body, { 'x-paystack-signature': signature });
    },
  };
}

export async function startFakeFlutterwave(
  secretKey = 'FLWSECK_TEST-7c1f0a9e3b2d4c5e6f708192a3b4c5d6-X',
): Promise<FakeFlutterwave> {
  const payments = new Map<string, FlutterwavePayment>();
  const transactions = new Map<number, FlutterwaveTransaction>();
  let nextId = 5_214_338;
  let url = '';
  const refuse = (status: number, message: string): Answer => ({
    status,
    body: { status: 'error', message, data: null },
  });

  const fake = await startFake(
    secretKey,
    { status: 'error', message: 'Invalid authorization key', data: null },
    (request) => {
      if (request.method === 'POST' && request.path === '/v3/payments') {
        const body = isObject(request.body) ? request.body : {};
        const customer = isObject(body.customer) ? body.customer : {};
        if (typeof body.tx_ref !== 'string' || body.tx_ref === '') return refuse(400, 'tx_ref is required');
        if (typeof body.amount !== 'number' && typeof body.amount !== 'string')
          return refuse(400, 'amount is required');
        if (typeof body.redirect_url !== 'string') return refuse(400, 'redirect_url is required');
        if (typeof customer.email !== 'string' || customer.email === '')
          return refuse(400, 'customer.email is required');
        payments.set(body.tx_ref, {
          txRef: body.tx_ref,
          amount: Number(body.amount),
          currency: typeof body.currency === 'string' ? body.currency : 'NGN',
          redirectUrl: body.redirect_url,
          customer: {
            email: customer.email,
            phonenumber: typeof customer.phonenumber === 'string' ? customer.phonenumber : '',
            name: typeof customer.name === 'string' ? customer.name : '',
          },
        });
        return {
          status: 200,
          body: {
            status: 'success',
            message: 'Hosted Link',
            data: { link: `${url}/v3/hosted/pay/${encodeURIComponent(body.tx_ref)}` },
          },
        };
      }
      const byReference = /^\/v3\/transactions\/verify_by_reference\?tx_ref=([^&]+)$/.exec(request.path);
      const verify = /^\/v3\/transactions\/(\d+)\/verify$/.exec(request.path);
      if (request.method === 'GET' && (verify?.[1] !== undefined || byReference?.[1] !== undefined)) {
        const txRef = decodeURIComponent(byReference?.[1] ?? '');
        const transaction =
          verify?.[1] !== undefined
            ? transactions.get(Number(verify[1]))
            : [...transactions.values()].filter((each) => each.tx_ref === txRef).at(-1);
        if (transaction === undefined) return refuse(400, 'No transaction was found for this id');
        return {
          status: 200,
          body: {
            status: 'success',
            message: 'Transaction fetched successfully',
            data: {
              id: transaction.id,
              tx_ref: transaction.tx_ref,
              flw_ref: `FLW-MOCK-${transaction.id}`,
              amount: transaction.amount,
              currency: transaction.currency,
              charged_amount: transaction.amount,
              status: transaction.status,
              payment_type: 'card',
            },
          },
        };
      }
      return refuse(404, 'Not found');
    },
  );
  url = fake.url;
  return {
    url: fake.url,
    secretKey,
    requests: fake.requests,
    payments,
    transactions,
    failNext: fake.failNext,
    close: fake.close,
    pay(txRef, outcome = {}) {
      const payment = payments.get(txRef);
      if (payment === undefined) throw new Error(`no Flutterwave payment ${txRef}`);
      const transaction: FlutterwaveTransaction = {
        id: nextId,
        tx_ref: txRef,
        amount: outcome.amountNaira ?? payment.amount,
        currency: outcome.currency ?? payment.currency,
        status: outcome.status ?? 'successful',
      };
      nextId += 1;
      transactions.set(transaction.id, transaction);
      return withQuery(payment.redirectUrl, {
        status: transaction.status === 'successful' ? 'successful' : 'failed',
        tx_ref: txRef,
        transaction_id: String(transaction.id),
      });
    },
    cancel(txRef) {
      const payment = payments.get(txRef);
      if (payment === undefined) throw new Error(`no Flutterwave payment ${txRef}`);
      return withQuery(payment.redirectUrl, { status: 'cancelled', tx_ref: txRef });
    },
    async postWebhook(target, transactionId, options) {
      const transaction = transactions.get(transactionId);
      if (transaction === undefined) throw new Error(`no Flutterwave transaction ${transactionId}`);
      const payment = payments.get(transaction.tx_ref);
      const body = JSON.stringify({
        event: options.event ?? 'charge.completed',
        data: {
          id: transaction.id,
          tx_ref: transaction.tx_ref,
          flw_ref: `FLW-MOCK-${transaction.id}`,
          amount: transaction.amount,
          currency: transaction.currency,
          charged_amount: transaction.amount,
          status: transaction.status,
          payment_type: 'card',
          customer: { email: payment?.customer.email ?? '', name: payment?.customer.name ?? '' },
        },
      });
      return postWebhook(
        target,
        body,
        options.secretHash === null ? {} : { 'verif-hash': options.secretHash },
      );
    },
  };
}
