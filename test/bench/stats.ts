/** Small helpers shared by the benchmarks: machines here are shared and noisy, so report medians and ratios. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const formatMs = (ms: number): string =>
  ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;

export const printTable = (title: string, rows: [string, string][]): void => {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
};

/** `value (target ≤ limit) ✓` or `✗`: one line per benchmark target, readable at a glance. */
export const againstTarget = (value: number, limit: number, format: (value: number) => string): string =>
  `${format(value)} (target ≤ ${format(limit)}) ${value <= limit ? '✓' : '✗'}`;
