/** Asks for a PIN (a manager's for a refund, the owner's for a review) and hands it to `onPin`. */
import { useState, type SyntheticEvent } from 'react';
import { Modal } from './Modal';

export function PinDialog({
  title,
  label,
  onPin,
  onClose,
}: {
  title: string;
  label: string;
  onPin: (pin: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    const done = await onPin(pin);
    setBusy(false);
    if (!done) setPin('');
  };
  return (
    <Modal title={title} open onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor="pin-dialog-pin">{label}</label>
          <input
            id="pin-dialog-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={pin}
            onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 6))}
          />
        </div>
        <button type="submit" className="primary" disabled={busy || pin.length < 4}>
          Confirm
        </button>
      </form>
    </Modal>
  );
}
