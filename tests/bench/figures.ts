/** The shape `npm run bench` prints: one JSON object, one entry per figure. */
export interface Figure {
  value: number;
  unit: string;
  better: 'lower' | 'higher';
  target?: number;
}

export type Figures = Record<string, Figure>;

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
