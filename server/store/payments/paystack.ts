/**
 * Paystack's API (https://paystack.com/docs/api/transaction/): `POST /transaction/initialize` with
 * the amount in kobo, the shopper's email, our reference and the callback URL answers
 * `data.authorization_url`; the shopper comes back to the callback with `?trxref=&reference=`;
 * `GET /transaction/verify/:reference` answers `data.status` ('success' once paid; 'failed',
 * 'abandoned' and 'reversed' are final failures), `data.amount` (kobo), `data.currency` and
 * `data.id`. Its webhooks (../payment-hooks.ts) are signed with the same secret key.
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

const initializeAnswer = z.object({
  status: z.literal(true),
  data: z.object({ authorization_url: z.string() }),
});

const verifyAnswer = z.object({
  status: z.literal(true),
  data: z.object({
    status: z.string(),
    reference: z.string(),
    amount: z.number().int().nonnegative(),
    currency: z.string(),
    id: z.union([z.number().int(), z.string()]).optional(),
  }),
});

const FAILED = new Set(['failed', 'abandoned', 'reversed']);

export function paystackProvider(baseUrl: string, timeoutMs: number): PaymentProvider {
  return {
    id: 'paystack',

    async start(payment) {
      const answer = await providerRequest(
        'paystack',
        `${baseUrl}/transaction/initialize`,
        payment.secretKey,
        timeoutMs,
        {
          email: payment.email,
          amount: payment.amountKobo,
          currency: 'NGN',
          reference: payment.reference,
          callback_url: payment.callbackUrl,
          metadata: {
            custom_fields: [{ display_name: 'Order', variable_name: 'order', value: payment.title }],
          },
        },
      );
      if (answer.status !== 200) {
        throw new PaymentProviderError(
          'paystack',
          'refused',
          `Paystack refused the payment: ${refusalMessage(answer.json)}`,
        );
      }
      const parsed = initializeAnswer.safeParse(answer.json);
      if (!parsed.success)
        throw new PaymentProviderError('paystack', 'bad_answer', 'Paystack answered without a checkout page');
      return { checkoutUrl: checkoutUrl('paystack', parsed.data.data.authorization_url) };
    },

    async verify(secretKey, callback): Promise<PaymentVerdict> {
      const url = `${baseUrl}/transaction/verify/${encodeURIComponent(callback.reference)}`;
      const answer = await providerRequest('paystack', url, secretKey, timeoutMs);
      if (answer.status !== 200) {
        throw new PaymentProviderError(
          'paystack',
          'refused',
          `Paystack would not verify the payment: ${refusalMessage(answer.json)}`,
        );
      }
      const parsed = verifyAnswer.safeParse(answer.json);
      if (!parsed.success)
        throw new PaymentProviderError('paystack', 'bad_answer', 'Paystack answered without the transaction');
      const { data } = parsed.data;
      return {
        status: data.status === 'success' ? 'paid' : FAILED.has(data.status) ? 'failed' : 'pending',
        amountKobo: data.amount,
        currency: data.currency.toUpperCase(),
        reference: data.reference,
        ...(data.id === undefined ? {} : { transactionId: String(data.id) }),
        providerStatus: data.status,
      };
    },
  };
}
