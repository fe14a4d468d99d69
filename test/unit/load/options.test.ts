import { assertLoopback, formatReport, parseLoadOptions } from '../../../scripts/load';
import { percentile } from '../../bench/stats';

describe('npm run load: options', () => {
  it('defaults to 200 users × 10 messages, all at once, with the local stack’s secret', () => {
    expect(parseLoadOptions([], {})).toEqual({
      users: 200,
      messages: 10,
      concurrency: 200,
      thinkMs: 20_000,
      timeoutMs: 600_000,
      appSecret: 'local-app-secret',
      phoneNumberId: '100000000000001',
    });
  });

  it('reads every flag, and the secret the running stack was given', () => {
    const options = parseLoadOptions(
      [
        '--users',
        '20',
        '--messages',
        '3',
        '--concurrency',
        '5',
        '--think-ms',
        '0',
        '--timeout',
        '60',
        '--url',
        'http://localhost:3000/',
      ],
      { WHATSAPP_APP_SECRET: 'another-secret' },
    );
    expect(options).toMatchObject({
      users: 20,
      messages: 3,
      concurrency: 5,
      thinkMs: 0,
      timeoutMs: 60_000,
      url: 'http://localhost:3000',
      appSecret: 'another-secret',
    });
  });

  it.each([
    ['--users', 'many'],
    ['--users', '10001'],
    ['--messages', '2.5'],
    ['--timeout', '4000'],
  ])('refuses %s %s: the run is bounded', (flag, value) => {
    expect(() => parseLoadOptions([flag, value], {})).toThrow(/must be a whole number/);
  });

  it.each(['http://127.0.0.1:3000', 'http://localhost:8080', 'http://[::1]:3000'])('accepts %s', (url) => {
    expect(assertLoopback(url)).toBe(new URL(url).origin);
  });

  it.each(['http://10.0.0.5:3000', 'https://127.0.0.1:3000', 'http://example.com', 'not a url'])(
    'never sends load to %s',
    (url) => {
      expect(() => assertLoopback(url)).toThrow();
    },
  );

  it('reports percentiles and says whether the targets were met', () => {
    const report = formatReport({
      options: parseLoadOptions(['--users', '2', '--messages', '2'], {}),
      sent: 4,
      answered: 4,
      elapsedMs: 2_000,
      ackMs: [5, 6, 7, 80],
      endToEndMs: [100, 120, 150, 400],
      errors: 0,
      lost: 0,
      duplicates: 0,
      reordered: 0,
    });
    expect(percentile([5, 6, 7, 80], 50)).toBe(6);
    expect(report).toContain('2.0 replies/s');
    expect(report).toContain('target p99 ≤ 50 ms: missed');
    expect(report).toContain('target p95 ≤ 300 ms: missed');
    expect(report).toContain('0 / 0 / 0');
  });
});
