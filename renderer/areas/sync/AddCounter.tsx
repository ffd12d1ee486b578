/** "Add another counter": the owner PIN, then a one-time code to type on the new counter. */
import { useState } from 'react';
import { kasuwa } from '../../bridge';
import { TextField } from '../../components/Field';
import { PinDialog } from '../../components/PinDialog';
import { call } from '../../state/app-store';
import { retryPin } from './form-errors';
import { countdown, shopTime, useNow } from './time';

interface Code {
  code: string;
  expiresAt: number;
}

function CodeCard({ code, onAgain, onDone }: { code: Code; onAgain: () => void; onDone: () => void }) {
  const now = useNow(1000);
  const left = code.expiresAt - now;
  const shown = code.code.length === 8 ? `${code.code.slice(0, 4)}-${code.code.slice(4)}` : code.code;
  return (
    <div className="sync-code-card">
      <p className="sync-code" data-testid="pairing-code">
        {shown}
      </p>
      {left > 0 ? (
        <p>
          Type this code on the new counter, under Sync &rarr; &ldquo;Join with a pairing code&rdquo;. It
          works once, for <span className="sync-countdown">{countdown(left)}</span> more (until{' '}
          {shopTime(code.expiresAt)}).
        </p>
      ) : (
        <p role="alert" className="sync-last-error">
          This code has expired. Make a new one when the new counter is ready.
        </p>
      )}
      <div className="sync-actions">
        <button type="button" onClick={onAgain}>
          Make a new code
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

export function AddCounter({ branchName }: { branchName: string }) {
  const [branch, setBranch] = useState('');
  const [asking, setAsking] = useState(false);
  const [code, setCode] = useState<Code | null>(null);

  const makeCode = async (ownerPin: string) => {
    const answer = await call(
      kasuwa.sync.pairingCode({ ownerPin, ...(branch.trim() === '' ? {} : { branchName: branch }) }),
      { onError: (error) => !retryPin(error) && setAsking(false) },
    );
    if (!answer.ok) return false;
    setAsking(false);
    setCode(answer.value);
    return true;
  };

  return (
    <section className="panel" aria-labelledby="sync-add-title">
      <h2 id="sync-add-title">Add another counter</h2>
      {code === null ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setAsking(true);
          }}
        >
          <p className="muted">
            Another computer in the shop, or in another branch, can share the same customers, products and
            sales. You get a code to type on it.
          </p>
          <TextField
            label="Branch of the new counter (optional)"
            name="newCounterBranch"
            maxLength={80}
            placeholder={branchName}
            hint={`Leave empty for ${branchName}; type a new name to open another branch`}
            value={branch}
            onChange={(event) => setBranch(event.target.value)}
          />
          <button type="submit" className="primary">
            Get a pairing code
          </button>
        </form>
      ) : (
        // A fresh card for each code, so its clock starts with the code.
        <CodeCard key={code.code} code={code} onAgain={() => setAsking(true)} onDone={() => setCode(null)} />
      )}
      {asking && (
        <PinDialog
          title="Get a pairing code"
          label="Owner PIN"
          onPin={makeCode}
          onClose={() => setAsking(false)}
        />
      )}
    </section>
  );
}
