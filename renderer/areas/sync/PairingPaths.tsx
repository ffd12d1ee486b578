/** A counter that is not paired yet: the two ways in, side by side. */
import { FirstCounterForm } from './FirstCounterForm';
import { JoinForm } from './JoinForm';

export function PairingPaths() {
  return (
    <section aria-labelledby="sync-pair-title" className="sync-pairing">
      <h2 id="sync-pair-title" className="sync-section-title">
        Pair this counter
      </h2>
      <p className="muted">
        Until it is paired, everything stays on this computer. Pairing deletes nothing here, and each way asks
        for the owner PIN.
      </p>
      <div className="sync-paths">
        <FirstCounterForm />
        <JoinForm />
      </div>
    </section>
  );
}
