/** Asks once before something that cannot be taken back (deleting, cancelling a send). */
import { useState, type ReactNode } from 'react';
import { Modal } from '../../components/Modal';

export function ConfirmDialog({
  title,
  confirmLabel,
  children,
  onConfirm,
  onClose,
}: {
  title: string;
  confirmLabel: string;
  children: ReactNode;
  /** Resolves when the action is done; the dialog closes itself afterwards. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={title} open onClose={onClose}>
      <div className="campaign-confirm">{children}</div>
      <div className="campaign-actions">
        <button
          type="button"
          className="primary campaign-danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onConfirm().finally(() => {
              setBusy(false);
              onClose();
            });
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" onClick={onClose}>
          Keep it
        </button>
      </div>
    </Modal>
  );
}
