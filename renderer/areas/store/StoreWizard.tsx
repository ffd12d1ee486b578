/**
 * The store builder: seven steps with a stepper that ticks each one off the launch checklist, the
 * step on screen (it reopens where the owner left it), Back and Next, and the save status of the
 * draft, which saves itself as the owner types.
 */
import { useEffect, useRef } from 'react';
import type { ChecklistItem } from '../../../shared/store/checklist';
import { WIZARD_STEP_LABELS, WIZARD_STEPS, type WizardStep } from '../../../shared/store/draft';
import { useStoreChecklist, useStoreScreen, type SaveStatus } from '../../state/store-store';
import { BusinessStep } from './BusinessStep';
import { LaunchStep } from './LaunchStep';
import { LegalStep } from './LegalStep';
import { PaymentsStep } from './PaymentsStep';
import { PreviewStep } from './PreviewStep';
import { ProductsStep } from './ProductsStep';
import { ShippingStep } from './ShippingStep';
import { clockTime } from './words';

/** Whether a step is done: its checklist items are; the preview is done once a test order went through. */
function stepDone(step: WizardStep, checklist: readonly ChecklistItem[]): boolean {
  if (step === 'preview') return checklist.some((item) => item.id === 'test-order' && item.done);
  const items = checklist.filter((item) => item.step === step);
  return items.length > 0 && items.every((item) => item.done);
}

function SaveStatusLine({ saved, savedAt }: { saved: SaveStatus; savedAt: number | null }) {
  const flush = useStoreScreen((state) => state.flush);
  // A change waiting for the pause in the typing is on its way: say so at once.
  const waiting = useStoreScreen((state) => Object.keys(state.dirty).length > 0);
  const status: SaveStatus = waiting && saved.state !== 'error' ? { state: 'saving' } : saved;
  let words: string;
  let tone = 'store-save-quiet';
  switch (status.state) {
    case 'saving':
      words = 'Saving…';
      break;
    case 'saved':
      words =
        status.kept === 0
          ? `Saved at ${clockTime(status.at)}`
          : `Saved at ${clockTime(status.at)}, except ${status.kept === 1 ? 'the marked field' : `${status.kept} marked fields`}`;
      tone = status.kept === 0 ? 'store-save-good' : 'store-save-warn';
      break;
    case 'error':
      words = `Could not save: ${status.message}`;
      tone = 'store-save-bad';
      break;
    case 'idle':
      words = savedAt === null ? 'Not saved yet' : `Saved at ${clockTime(savedAt)}`;
      break;
  }
  return (
    <p className={`store-save-status ${tone}`} data-testid="store-save-status">
      <span role="status">{words}</span>
      {status.state === 'error' && (
        <button type="button" className="store-link-button" onClick={() => void flush()}>
          Try again
        </button>
      )}
    </p>
  );
}

function Stepper({
  current,
  checklist,
  onStep,
}: {
  current: WizardStep;
  checklist: readonly ChecklistItem[];
  onStep: (step: WizardStep) => void;
}) {
  return (
    <nav aria-label="Store builder steps">
      <ol className="store-stepper">
        {WIZARD_STEPS.map((step, index) => {
          const done = stepDone(step, checklist);
          return (
            <li key={step}>
              {/* Links, not buttons: they go to a step, and "Launch" stays the one button of that name. */}
              <a
                href="#/store"
                className={`store-step${step === current ? ' store-step-current' : ''}${done ? ' store-step-done' : ''}`}
                aria-current={step === current ? 'step' : undefined}
                aria-label={`${WIZARD_STEP_LABELS[step]}, ${done ? 'done' : 'not done yet'}`}
                onClick={(event) => {
                  event.preventDefault();
                  onStep(step);
                }}
              >
                <span className="store-step-mark" aria-hidden="true">
                  {done ? '✓' : index + 1}
                </span>
                <span>{WIZARD_STEP_LABELS[step]}</span>
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function StepBody({ step }: { step: WizardStep }) {
  switch (step) {
    case 'business':
      return <BusinessStep />;
    case 'products':
      return <ProductsStep />;
    case 'payments':
      return <PaymentsStep />;
    case 'shipping':
      return <ShippingStep />;
    case 'legal':
      return <LegalStep />;
    case 'preview':
      return <PreviewStep />;
    case 'launch':
      return <LaunchStep />;
  }
}

/** What is still missing for this step's checklist items, in the checklist's own sentences. */
function StepNeeds({ step, checklist }: { step: WizardStep; checklist: readonly ChecklistItem[] }) {
  const open = checklist.filter((item) => item.step === step && !item.done);
  if (open.length === 0 || step === 'launch') return null;
  return (
    <div className="store-needs" data-testid="store-step-needs">
      <strong>Still needed to launch:</strong>
      <ul>
        {open.map((item) => (
          <li key={item.id}>{item.detail}</li>
        ))}
      </ul>
    </div>
  );
}

export function StoreWizard() {
  const draft = useStoreScreen((state) => state.draft);
  const remote = useStoreScreen((state) => state.remote);
  const loadError = useStoreScreen((state) => state.loadError);
  const loading = useStoreScreen((state) => state.loading);
  const load = useStoreScreen((state) => state.load);
  const save = useStoreScreen((state) => state.save);
  const goTo = useStoreScreen((state) => state.goTo);
  const checklist = useStoreChecklist();
  const heading = useRef<HTMLHeadingElement>(null);
  const step = draft?.step ?? null;
  const moved = useRef(false);

  // A step change moves focus to its heading, so keyboard users land on the new step; not on arrival.
  useEffect(() => {
    if (step === null) return;
    if (moved.current) heading.current?.focus();
  }, [step]);

  if (draft === null || remote === null || checklist === null || step === null) {
    return loadError === null ? (
      <p aria-busy="true">Opening the store builder…</p>
    ) : (
      <div className="notice" role="alert">
        <p>Could not open the store builder. {loadError}</p>
        <button type="button" disabled={loading} onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }

  const index = WIZARD_STEPS.indexOf(step);
  const previous = WIZARD_STEPS[index - 1];
  const next = WIZARD_STEPS[index + 1];
  const move = (to: WizardStep) => {
    moved.current = true;
    goTo(to);
  };

  return (
    <div className="store-wizard">
      <div className="store-wizard-top">
        <Stepper current={step} checklist={checklist} onStep={move} />
        <SaveStatusLine saved={save} savedAt={remote.savedAt} />
      </div>
      <section className="panel store-step-panel" aria-labelledby="store-step-title">
        <p className="store-step-count muted">
          Step {index + 1} of {WIZARD_STEPS.length}
        </p>
        <h2 id="store-step-title" ref={heading} tabIndex={-1}>
          {WIZARD_STEP_LABELS[step]}
        </h2>
        <StepNeeds step={step} checklist={checklist} />
        <StepBody step={step} />
        <div className="store-step-nav">
          {previous !== undefined && (
            <button type="button" onClick={() => move(previous)}>
              Back
            </button>
          )}
          {next !== undefined && (
            <button type="button" className="primary" onClick={() => move(next)}>
              Next
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
