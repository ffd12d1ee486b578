/** Settings: the business profile, staff, receipt text, security of the data, and updates. */
import { useEffect, useState, type SyntheticEvent } from 'react';
import type {
  AppSettings,
  AuditVerification,
  BusinessProfile,
  LoyaltyRules,
  StaffMember,
  UpdateStatus,
} from '../../shared/contract';
import { parseNairaToKobo } from '../../shared/money';
import type { NigerianState } from '../../shared/states';
import { kasuwa } from '../bridge';
import { AreaHeader } from '../components/AreaHeader';
import { BusinessFields, draftFromProfile } from '../components/BusinessForm';
import { SelectField, TextField, fieldErrors } from '../components/Field';
import { PinDialog } from '../components/PinDialog';
import { call, useAppStore } from '../state/app-store';

function BusinessProfileSection() {
  const business = useAppStore((state) => state.business);
  // The form starts from the stored profile, so it waits for it (after a reload it arrives late).
  return business === null ? null : <BusinessProfileForm key={business.updatedAt} profile={business} />;
}

function BusinessProfileForm({ profile }: { profile: BusinessProfile }) {
  const setBusiness = useAppStore((state) => state.setBusiness);
  const showToast = useAppStore((state) => state.showToast);
  const [draft, setDraft] = useState(draftFromProfile(profile));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setErrors({});
    const result = await call(kasuwa.business.update({ ...draft, state: draft.state as NigerianState }), {
      onError: (error) => setErrors(fieldErrors(error.details)),
    });
    if (result.ok) {
      setBusiness(result.value);
      showToast('success', 'Business profile saved.');
    }
  };

  return (
    <form className="panel" aria-labelledby="profile-title" onSubmit={(event) => void save(event)}>
      <h2 id="profile-title">Business profile</h2>
      <BusinessFields draft={draft} errors={errors} onChange={setDraft} />
      <button type="submit" className="primary">
        Save profile
      </button>
    </form>
  );
}

function ReceiptSection({
  settings,
  onSaved,
}: {
  settings: AppSettings;
  onSaved: (settings: AppSettings) => void;
}) {
  const [footer, setFooter] = useState(settings.receiptFooter);
  const showToast = useAppStore((state) => state.showToast);
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await call(kasuwa.settings.update({ receiptFooter: footer }));
    if (result.ok) {
      onSaved(result.value);
      showToast('success', 'Receipt text saved.');
    }
  };
  return (
    <form className="panel" aria-labelledby="receipt-title" onSubmit={(event) => void save(event)}>
      <h2 id="receipt-title">Receipts</h2>
      <TextField
        label="Line at the bottom of every receipt"
        name="receiptFooter"
        value={footer}
        maxLength={200}
        onChange={(event) => setFooter(event.target.value)}
      />
      <button type="submit">Save receipt text</button>
    </form>
  );
}

function StaffSection() {
  const showToast = useAppStore((state) => state.showToast);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<'manager' | 'cashier'>('cashier');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<((ownerPin: string) => Promise<boolean>) | null>(null);
  const load = () => {
    void call(kasuwa.staff.list()).then((result) => result.ok && setStaff(result.value));
  };
  useEffect(load, []);
  const add = (event: SyntheticEvent) => {
    event.preventDefault();
    setPending(() => async (ownerPin: string) => {
      const result = await call(kasuwa.staff.create({ name, role, pin, ownerPin }), {
        onError: (error) => setErrors(fieldErrors(error.details)),
      });
      if (!result.ok) return false;
      setName('');
      setPin('');
      setErrors({});
      load();
      showToast('success', `${result.value.name} can now sign in at the till.`);
      return true;
    });
  };
  const toggle = (member: StaffMember) =>
    setPending(() => async (ownerPin: string) => {
      const result = await call(kasuwa.staff.setActive({ id: member.id, active: !member.active, ownerPin }));
      if (result.ok) load();
      return result.ok;
    });
  return (
    <section className="panel" aria-labelledby="staff-title">
      <h2 id="staff-title">Staff</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((member) => (
            <tr key={member.id}>
              <td>{member.name}</td>
              <td className="capitalise">{member.role}</td>
              <td>
                {member.role === 'owner' ? (
                  'Owner'
                ) : (
                  <button type="button" onClick={() => toggle(member)}>
                    {member.active ? `Switch off ${member.name}` : `Switch on ${member.name}`}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={add}>
        <h3>Add a staff member</h3>
        <TextField
          label="Staff name"
          value={name}
          error={errors.name}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(event) => setRole(event.target.value as typeof role)}
        >
          <option value="cashier">Cashier</option>
          <option value="manager">Manager (approves refunds)</option>
        </SelectField>
        <TextField
          label="Their PIN (4 to 6 digits)"
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={pin}
          error={errors.pin}
          onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 6))}
        />
        <button type="submit" disabled={name.trim() === '' || pin.length < 4}>
          Add staff member
        </button>
      </form>
      {pending !== null && (
        <PinDialog
          title="Owner approval"
          label="Owner PIN"
          onClose={() => setPending(null)}
          onPin={async (ownerPin) => {
            const done = await pending(ownerPin);
            if (done) setPending(null);
            return done;
          }}
        />
      )}
    </section>
  );
}

function LoyaltySection() {
  const showToast = useAppStore((state) => state.showToast);
  const [rules, setRules] = useState<LoyaltyRules | null>(null);
  const [draft, setDraft] = useState({ points: '', value: '', silver: '', gold: '', platinum: '' });
  useEffect(() => {
    void call(kasuwa.loyalty.rules()).then((result) => {
      if (!result.ok) return;
      setRules(result.value);
      setDraft({
        points: String(result.value.pointsPer100Naira),
        value: (result.value.pointValueKobo / 100).toFixed(2),
        silver: String(result.value.tierThresholdsKobo.silver / 100),
        gold: String(result.value.tierThresholdsKobo.gold / 100),
        platinum: String(result.value.tierThresholdsKobo.platinum / 100),
      });
    });
  }, []);
  if (rules === null) return null;
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await call(
      kasuwa.loyalty.updateRules({
        pointsPer100Naira: Number(draft.points),
        pointValueKobo: parseNairaToKobo(draft.value) ?? 0,
        tierThresholdsKobo: {
          silver: parseNairaToKobo(draft.silver) ?? 0,
          gold: parseNairaToKobo(draft.gold) ?? 0,
          platinum: parseNairaToKobo(draft.platinum) ?? 0,
        },
      }),
    );
    if (result.ok) {
      setRules(result.value);
      showToast('success', 'Loyalty rules saved.');
    }
  };
  return (
    <form className="panel" aria-labelledby="loyalty-title" onSubmit={(event) => void save(event)}>
      <h2 id="loyalty-title">Loyalty</h2>
      <TextField
        label="Points per ₦100 spent"
        inputMode="numeric"
        value={draft.points}
        onChange={(e) => setDraft({ ...draft, points: e.target.value })}
      />
      <TextField
        label="One point is worth (₦)"
        inputMode="decimal"
        value={draft.value}
        onChange={(e) => setDraft({ ...draft, value: e.target.value })}
      />
      <TextField
        label="Silver from lifetime spend (₦)"
        inputMode="numeric"
        value={draft.silver}
        onChange={(e) => setDraft({ ...draft, silver: e.target.value })}
      />
      <TextField
        label="Gold from (₦)"
        inputMode="numeric"
        value={draft.gold}
        onChange={(e) => setDraft({ ...draft, gold: e.target.value })}
      />
      <TextField
        label="Platinum from (₦)"
        inputMode="numeric"
        value={draft.platinum}
        onChange={(e) => setDraft({ ...draft, platinum: e.target.value })}
      />
      <button type="submit">Save loyalty rules</button>
    </form>
  );
}

function SecuritySection() {
  const status = useAppStore((state) => state.status);
  const [audit, setAudit] = useState<AuditVerification | null>(null);
  if (status?.state !== 'ready') return null;
  const verify = async () => {
    const result = await call(kasuwa.audit.verify());
    if (result.ok) setAudit(result.value);
  };
  return (
    <section className="panel" aria-labelledby="security-title">
      <h2 id="security-title">Security of your data</h2>
      <dl className="facts">
        <dt>Database</dt>
        <dd>Encrypted on this computer</dd>
        <dt>Key kept in</dt>
        <dd>{status.keyStorage === 'keychain' ? "This computer's keychain" : 'Your owner passphrase'}</dd>
        <dt>Data folder</dt>
        <dd className="path">{status.dataDir}</dd>
        <dt>Kasuwa version</dt>
        <dd>{status.version}</dd>
      </dl>
      <button type="button" onClick={() => void verify()}>
        Check the audit log
      </button>
      {audit !== null && (
        <p role="status" className={audit.intact ? 'good' : 'bad'}>
          {audit.intact
            ? `The audit log is intact: ${audit.checkedRows} entries checked.`
            : `The audit log was changed outside Kasuwa at entry ${audit.firstBrokenSeq ?? '?'}.`}
        </p>
      )}
    </section>
  );
}

function describeUpdate(status: UpdateStatus): string {
  switch (status.state) {
    case 'disabled':
      return status.reason;
    case 'idle':
      return 'Kasuwa checks for updates when it starts and every 6 hours.';
    case 'checking':
      return 'Checking for updates…';
    case 'available':
      return `Version ${status.version} is available and is downloading in the background.`;
    case 'downloading':
      return `Downloading version ${status.version}: ${status.percent}%.`;
    case 'downloaded':
      return `Version ${status.version} is ready. It installs when you close Kasuwa, never in the middle of a sale.`;
    case 'up-to-date':
      return `Kasuwa is up to date (checked ${new Date(status.lastCheckedAt).toLocaleString('en-NG')}).`;
    case 'error':
      return status.message;
  }
}

function UpdatesSection() {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  useEffect(() => {
    void call(kasuwa.updates.status()).then((result) => result.ok && setStatus(result.value));
    return kasuwa.on('update:status', setStatus);
  }, []);
  const check = async () => {
    const result = await call(kasuwa.updates.check());
    if (result.ok) setStatus(result.value);
  };
  return (
    <section className="panel" aria-labelledby="updates-title">
      <h2 id="updates-title">Updates</h2>
      <p role="status">{status === null ? '…' : describeUpdate(status)}</p>
      <button type="button" onClick={() => void check()} disabled={status?.state === 'disabled'}>
        Check for updates now
      </button>
    </section>
  );
}

export function SettingsArea() {
  const [settings, setSettings] = useState<AppSettings | null>(null);
  useEffect(() => {
    void call(kasuwa.settings.get()).then((result) => result.ok && setSettings(result.value));
  }, []);
  return (
    <>
      <AreaHeader title="Settings">Your business, your staff and how Kasuwa keeps your data safe.</AreaHeader>
      <div className="settings-grid">
        <BusinessProfileSection />
        <div className="stack">
          {settings !== null && <ReceiptSection settings={settings} onSaved={setSettings} />}
          <StaffSection />
          <LoyaltySection />
        </div>
        <SecuritySection />
        <UpdatesSection />
      </div>
    </>
  );
}
