import { runLoad, parseLoadOptions } from '../../../scripts/load';
import { startTestStack } from '../../support/local-stack';
import type { LocalStack } from '../../../local/stack';

describe('npm run load against the local stack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('sends signed webhooks, waits for each reply, and finds nothing lost, doubled or reordered', async () => {
    // Prepare
    const options = parseLoadOptions(
      ['--users', '4', '--messages', '3', '--think-ms', '0', '--timeout', '60'],
      {},
    );

    // Act
    const report = await runLoad(options, stack.url);

    // Assess
    expect(report).toMatchObject({ sent: 12, answered: 12, errors: 0, lost: 0, duplicates: 0, reordered: 0 });
    expect(report.ackMs).toHaveLength(12);
    expect(report.endToEndMs).toHaveLength(12);
    expect(Math.min(...report.endToEndMs)).toBeGreaterThanOrEqual(0);
  });
});
