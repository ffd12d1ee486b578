/**
 * Flutterwave's v3 API (https://developer.flutterwave.com/v3.0/docs): `POST /v3/payments` with our
 * `tx_ref`, the amount in naira, currency NGN, the `redirect_url` and the customer answers
 * `data.link`; the shopper comes back to the redirect URL with `?status=&tx_ref=&transaction_id=`
 * (no transaction id when they cancelled); `GET /v3/transactions/:id/verify` answers
 * `data.status` ('successful' once paid, 'failed'), `data.amount` (naira), `data.currency`,
 * `data.tx_ref` and `data.id`. A payment known only by our reference (a counter's "Check payment")
 * is verified with `GET /v3/transactions/verify_by_reference?tx_ref=`, same answer; one with no
 * transaction yet is refused with "No transaction was found", which is a payment not made yet.
 */
import { z } from 'zod';
import {
  checkoutUrl,
  PaymentProviderError,
  providerRequest,
  refusalMessage,
  type PaymentProvider,
  type PaymentVerdict,
} from './provider';

const paymentsAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ link: z.string() }),
});

const verifyAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    status: z.string(),
    tx_ref: z.string(),
    amount: z.number().nonnegative(),
    currency: z.string(),
    id: z.union([z.number().int(), z.string()]).optional(),
  }),
});

const FAILED = new Set(['failed', 'cancelled']);

/** Flutterwave takes and gives naira, with kobo as decimals; ours are whole kobo. */
const toNaira = (kobo: number) => Math.round(kobo) / 100;
const toKobo = (naira: number) => Math.round(naira * 100);

export function flutterwaveProvider(baseUrl: string, timeoutMs: number): PaymentProvider {
  return {
    id: 'flutterwave',

    async start(payment) {
      const answer = await providerRequest(
        'flutterwave',
        `${baseUrl}/v3/payments`,
        payment.secretKey,
        timeoutMs,
        {
          tx_ref: payment.reference,
          amount: toNaira(payment.amountKobo),
          currency: 'NGN',
          redirect_url: payment.callbackUrl,
          customer: { email: payment.email, phonenumber: payment.phone, name: payment.name },
          customizations: { title: payment.title },
        },
      );
      if (answer.status !== 200) {
        throw new PaymentProviderError(
          'flutterwave',
          'refused',
          `Flutterwave refused the payment: ${refusalMessage(answer.json)}`,
        );
      }
      const parsed = paymentsAnswer.safeParse(answer.json);
      if (!parsed.success) {
        throw new PaymentProviderError(
          'flutterwave',
          'bad_answer',
          'Flutterwave answered without a checkout page',
        );
      }
      return { checkoutUrl: checkoutUrl('flutterwave', parsed.data.data.link) };
    },

    async verify(secretKey, callback): Promise<PaymentVerdict> {
      const id = callback.transactionId;
      if (id !== undefined && !/^\d{1,20}$/.test(id)) {
        throw new PaymentProviderError(
          'flutterwave',
          'refused',
          'Flutterwave sent no transaction id to verify',
        );
      }
      const url =
        id === undefined
          ? `${baseUrl}/v3/transactions/verify_by_reference?tx_ref=${encodeURIComponent(callback.reference)}`
          : `${baseUrl}/v3/transactions/${id}/verify`;
      const answer = await providerRequest('flutterwave', url, secretKey, timeoutMs);
      if (id === undefined && answer.status !== 200 && /no transaction/i.test(refusalMessage(answer.json))) {
        // Nothing was paid under this reference yet: the shopper left the checkout, or is still at it.
        return {
          status: 'pending',
          amountKobo: 0,
          currency: 'NGN',
          reference: callback.reference,
          providerStatus: 'none',
        };
      }
      if (answer.status !== 200) {
        throw new PaymentProviderError(
          'flutterwave',
          'refused',
          `Flutterwave would not verify the payment: ${refusalMessage(answer.json)}`,
        );
      }
      const parsed = verifyAnswer.safeParse(answer.json);
      if (!parsed.success) {
        throw new PaymentProviderError(
          'flutterwave',
          'bad_answer',
          'Flutterwave answered without the transaction',
        );
      }
      const { data } = parsed.data;
      return {
        status: data.status === 'successful' ? 'paid' : FAILED.has(data.status) ? 'failed' : 'pending',
        amountKobo: toKobo(data.amount),
        currency: data.currency.toUpperCase(),
        reference: data.tx_ref,
        ...(data.id === undefined ? {} : { transactionId: String(data.id) }),
        providerStatus: data.status,
      };
    },
  };
}
