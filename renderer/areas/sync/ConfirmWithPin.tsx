/**
 * A serious step (revoke a counter, unpair, settle a conflict) in one dialog: what will happen,
 * the owner PIN, and a button that names the step. Cancel or Esc leaves everything as it was.
 */
import { useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import { Modal } from '../../components/Modal';

export function ConfirmWithPin({
  title,
  confirmLabel,
  danger = false,
  children,
  onConfirm,
  onClose,
}: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  children: ReactNode;
  /** Resolves false when the step failed; the PIN is cleared for another try. */
  onConfirm: (ownerPin: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const id = useId();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    const done = await onConfirm(pin);
    setBusy(false);
    if (!done) setPin('');
  };
  return (
    <Modal title={title} open onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <div className="sync-confirm-text">{children}</div>
        <div className="field">
          <label htmlFor={`${id}-pin`}>Owner PIN</label>
          <input
            id={`${id}-pin`}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={pin}
            onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 6))}
          />
        </div>
        <div className="sync-actions">
          <button
            type="submit"
            className={danger ? 'primary sync-danger' : 'primary'}
            disabled={busy || pin.length < 4}
          >
            {confirmLabel}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
