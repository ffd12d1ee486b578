/**
 * Step 3: how shoppers pay. Paystack and Flutterwave take a public key (saved with the draft) and
 * a secret key, which goes straight to the OS keychain through `store:setPaymentKey` and is never
 * shown again: the screen only says it is saved. Once the store is published, each online
 * payment shows the webhook URL (and for Flutterwave the secret hash) to paste into the
 * provider's dashboard, so an order is marked paid even when the shopper closes the tab before
 * coming back to the store. Bank transfer shows the account to pay into; pay on delivery takes a
 * note.
 */
import { useEffect, useState, type SyntheticEvent } from 'react';
import { PAYMENT_OPTION_LABELS, type Payments } from '../../../shared/store/draft';
import { kasuwa } from '../../bridge';
import { TextField, fieldErrors } from '../../components/Field';
import { useAppStore } from '../../state/app-store';
import { useStoreScreen } from '../../state/store-store';
import { CheckField } from './inputs';

type OnlineProvider = 'paystack' | 'flutterwave';

const PROVIDER_WORDS: Record<
  OnlineProvider,
  { name: string; publicHint: string; secretHint: string; webhookPlace: string }
> = {
  paystack: {
    name: 'Paystack',
    publicHint: 'Starts with pk_live_ (or pk_test_ to try it out). Paystack dashboard → Settings → API keys.',
    secretHint: 'Starts with sk_live_ or sk_test_.',
    webhookPlace: 'Settings → API Keys & Webhooks',
  },
  flutterwave: {
    name: 'Flutterwave',
    publicHint: 'Starts with FLWPUBK-. Flutterwave dashboard → Settings → API keys.',
    secretHint: 'Starts with FLWSECK- (or FLWSECK_TEST-).',
    webhookPlace: 'Settings → Webhooks',
  },
};

/** A value to paste into a provider's dashboard: shown read-only, selected on focus, with Copy. */
function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const showToast = useAppStore((state) => state.showToast);
  return (
    <div className="campaign-webhook">
      <TextField
        label={label}
        value={value}
        readOnly
        spellCheck={false}
        data-testid={testId}
        onFocus={(event) => event.target.select()}
      />
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard
            .writeText(value)
            .then(() => showToast('success', `${label} copied.`))
            .catch(() => showToast('error', 'Could not copy: select it and copy it by hand.'))
        }
      >
        Copy the {label}
      </button>
    </div>
  );
}

/**
 * Where the provider tells the store about payments, once the store is on the sync server: the
 * shopper's return to the store is not needed for the order to be marked paid.
 */
function PaymentWebhook({ provider }: { provider: OnlineProvider }) {
  const publishedAt = useStoreScreen((state) => state.remote?.published?.publishedAt ?? null);
  const status = useStoreScreen((state) => state.paymentHooks);
  const loadPaymentHooks = useStoreScreen((state) => state.loadPaymentHooks);
  useEffect(() => {
    if (publishedAt !== null) void loadPaymentHooks(publishedAt);
  }, [publishedAt, loadPaymentHooks]);
  if (publishedAt === null) return null;
  const words = PROVIDER_WORDS[provider];
  return (
    <div className="store-webhook" data-testid={`store-webhook-${provider}`}>
      <p>
        Paste this webhook URL into your {words.name} dashboard ({words.webhookPlace})
        {provider === 'flutterwave' && ', and the secret hash below as “Secret hash”'}, so an order is marked
        paid even when the shopper closes the page before coming back to your store.
      </p>
      {status.state === 'ready' && status.hooks !== null ? (
        <>
          <CopyField
            label={`${words.name} webhook URL`}
            value={status.hooks[provider]}
            testId={`webhook-${provider}`}
          />
          {provider === 'flutterwave' && (
            <CopyField
              label="Flutterwave secret hash"
              value={status.hooks.flutterwaveSecretHash}
              testId="webhook-flutterwave-secret-hash"
            />
          )}
        </>
      ) : status.state === 'ready' ? (
        <p className="muted">
          The sync server has no store online for this business: publish it again first.
        </p>
      ) : status.state === 'error' ? (
        <>
          <p className="notice" role="alert">
            Could not get the webhook URL from the sync server. {status.message}
          </p>
          <button type="button" onClick={() => void loadPaymentHooks(publishedAt, true)}>
            Ask the sync server again
          </button>
        </>
      ) : (
        <p aria-busy="true">Asking the sync server…</p>
      )}
    </div>
  );
}

/** Banks shoppers pay into most, offered as the owner types; any other name is fine too. */
const BANKS = [
  'Access Bank',
  'Ecobank',
  'Fidelity Bank',
  'First Bank',
  'FCMB',
  'GTBank',
  'Keystone Bank',
  'Kuda',
  'Moniepoint',
  'OPay',
  'PalmPay',
  'Polaris Bank',
  'Providus Bank',
  'Stanbic IBTC',
  'Sterling Bank',
  'UBA',
  'Union Bank',
  'Wema Bank',
  'Zenith Bank',
];

function SecretKey({ provider }: { provider: OnlineProvider }) {
  const saved = useStoreScreen((state) => state.remote?.paymentKeys[provider] ?? false);
  const applyRemote = useStoreScreen((state) => state.applyRemote);
  const [secret, setSecret] = useState('');
  const [replacing, setReplacing] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const words = PROVIDER_WORDS[provider];
  const label = `${words.name} secret key`;

  const send = async (secretKey: string) => {
    setBusy(true);
    setError(undefined);
    const answer = await kasuwa.store.setPaymentKey({ provider, secretKey });
    setBusy(false);
    if (answer.ok) {
      applyRemote(answer.value);
      setSecret('');
      setReplacing(false);
    } else {
      setError(fieldErrors(answer.error.details).secretKey ?? answer.error.message);
    }
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (secret.trim() !== '') void send(secret);
  };

  if (saved && !replacing) {
    return (
      <div className="store-secret" data-testid={`store-secret-${provider}`}>
        <p className="good">
          <span aria-hidden="true">✓ </span>Secret key saved
          <span className="muted"> in this computer’s keychain; it is never shown.</span>
        </p>
        <div className="store-actions">
          <button type="button" onClick={() => setReplacing(true)}>
            Replace {label}
          </button>
          <button
            type="button"
            className="store-danger-outline"
            disabled={busy}
            onClick={() => void send('')}
          >
            Remove {label}
          </button>
        </div>
        {error !== undefined && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <form className="store-secret" onSubmit={submit}>
      <TextField
        label={label}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        value={secret}
        error={error}
        hint={`${words.secretHint} It goes to this computer’s keychain, not into the store.`}
        onChange={(event) => setSecret(event.target.value)}
      />
      <div className="store-actions">
        <button type="submit" disabled={busy || secret.trim() === ''}>
          Save {label}
        </button>
        {replacing && (
          <button type="button" onClick={() => setReplacing(false)}>
            Keep the saved key
          </button>
        )}
      </div>
    </form>
  );
}

function OnlinePayment({ provider, payments }: { provider: OnlineProvider; payments: Payments }) {
  const edit = useStoreScreen((state) => state.edit);
  const errors = useStoreScreen((state) => state.errors.payments) ?? {};
  const settings = payments[provider];
  const words = PROVIDER_WORDS[provider];
  const set = (patch: Partial<Payments[OnlineProvider]>) =>
    edit('payments', (current) => ({ ...current, [provider]: { ...current[provider], ...patch } }));
  return (
    <fieldset className="store-option">
      <legend>{words.name}</legend>
      <CheckField
        label={`Take payments with ${PAYMENT_OPTION_LABELS[provider]}`}
        checked={settings.enabled}
        onChecked={(enabled) => set({ enabled })}
      />
      {settings.enabled && (
        <>
          <TextField
            label={`${words.name} public key`}
            value={settings.publicKey}
            spellCheck={false}
            autoComplete="off"
            error={errors[`${provider}.publicKey`]}
            hint={words.publicHint}
            onChange={(event) => set({ publicKey: event.target.value })}
          />
          <SecretKey provider={provider} />
          <PaymentWebhook provider={provider} />
        </>
      )}
    </fieldset>
  );
}

export function PaymentsStep() {
  const payments = useStoreScreen((state) => state.draft?.payments);
  const errors = useStoreScreen((state) => state.errors.payments) ?? {};
  const edit = useStoreScreen((state) => state.edit);
  if (payments === undefined) return null;
  const bank = payments.bankTransfer;
  const setBank = (patch: Partial<Payments['bankTransfer']>) =>
    edit('payments', (current) => ({ ...current, bankTransfer: { ...current.bankTransfer, ...patch } }));
  const setDelivery = (patch: Partial<Payments['payOnDelivery']>) =>
    edit('payments', (current) => ({ ...current, payOnDelivery: { ...current.payOnDelivery, ...patch } }));
  return (
    <div className="store-form">
      <p className="muted">Switch on at least one way to pay. Shoppers choose at checkout.</p>
      <OnlinePayment provider="paystack" payments={payments} />
      <OnlinePayment provider="flutterwave" payments={payments} />
      <fieldset className="store-option">
        <legend>Bank transfer</legend>
        <CheckField
          label="Take bank transfers"
          checked={bank.enabled}
          onChecked={(enabled) => setBank({ enabled })}
          hint="Shoppers see the account after they order, with their order number to use as the reference."
        />
        {bank.enabled && (
          <div className="form-grid">
            <TextField
              label="Bank"
              list="store-bank-names"
              value={bank.bankName}
              error={errors['bankTransfer.bankName']}
              onChange={(event) => setBank({ bankName: event.target.value })}
            />
            <datalist id="store-bank-names">
              {BANKS.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <TextField
              label="Account name"
              value={bank.accountName}
              error={errors['bankTransfer.accountName']}
              onChange={(event) => setBank({ accountName: event.target.value })}
            />
            <TextField
              label="Account number"
              inputMode="numeric"
              maxLength={10}
              value={bank.accountNumber}
              error={errors['bankTransfer.accountNumber']}
              hint="The 10-digit NUBAN."
              onChange={(event) => setBank({ accountNumber: event.target.value.replace(/\s/g, '') })}
            />
          </div>
        )}
      </fieldset>
      <fieldset className="store-option">
        <legend>Pay on delivery</legend>
        <CheckField
          label="Let shoppers pay when the order arrives"
          checked={payments.payOnDelivery.enabled}
          onChecked={(enabled) => setDelivery({ enabled })}
        />
        {payments.payOnDelivery.enabled && (
          <TextField
            label="Note for pay on delivery"
            value={payments.payOnDelivery.note}
            maxLength={200}
            placeholder="Cash or transfer to the rider. Lagos only."
            error={errors['payOnDelivery.note']}
            onChange={(event) => setDelivery({ note: event.target.value })}
          />
        )}
      </fieldset>
    </div>
  );
}
