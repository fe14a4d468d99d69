import { percentilesOf } from '../../../local/dashboard';

describe('local dashboard percentiles', () => {
  it('takes the nearest rank, as CloudWatch does for few data points', () => {
    // Prepare: 1..100 shuffled.
    const values = Array.from({ length: 100 }, (_, index) => ((index * 37) % 100) + 1);

    // Act
    const figures = percentilesOf(values);

    // Assess
    expect(figures).toEqual({ count: 100, p50: 50, p95: 95, p99: 99 });
    expect(percentilesOf([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7 });
    expect(percentilesOf([])).toEqual({ count: 0, p50: null, p95: null, p99: null });
  });
});
