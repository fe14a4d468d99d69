import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import {
  jsonSecret,
  leanSecretReader,
  powertoolsSecretReader,
  type SecretReader,
  whatsappSecretSchema,
} from '../../../layers/core/adapters/aws/secrets';
import { reminderEnvSchema } from '../../../layers/core/config/env';
import { ingressEnvSchema } from '../../../layers/core/config/ingress-env';
import { ConfigError, parseEnv } from '../../../layers/core/config/parse-env';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';

const validIngressEnv = {
  STAGE: 'dev',
  POWERTOOLS_SERVICE_NAME: 'chasqui-ingress',
  POWERTOOLS_METRICS_NAMESPACE: 'Chasqui-dev',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo',
  STATE_TABLE_NAME: 'state',
  WHATSAPP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wa-AbCdEf',
  RAW_DEAD_LETTER_BUCKET: 'bucket',
};

describe('function configuration', () => {
  it('parses a complete environment', () => {
    expect(parseEnv(ingressEnvSchema, validIngressEnv)).toMatchObject({
      STAGE: 'dev',
      STATE_TABLE_NAME: 'state',
    });
  });

  it('fails fast naming every missing variable', () => {
    const { QUEUE_URL: _q, STATE_TABLE_NAME: _t, ...incomplete } = validIngressEnv;
    expect(() => parseEnv(ingressEnvSchema, incomplete)).toThrow(ConfigError);
    expect(() => parseEnv(ingressEnvSchema, incomplete)).toThrow(
      /QUEUE_URL is missing.*STATE_TABLE_NAME is missing/,
    );
  });

  it('names an invalid variable and why', () => {
    expect(() =>
      parseEnv(ingressEnvSchema, { ...validIngressEnv, WHATSAPP_SECRET_ARN: 'my-secret' }),
    ).toThrow(/WHATSAPP_SECRET_ARN is invalid: must be an ARN/);
    expect(() => parseEnv(ingressEnvSchema, { ...validIngressEnv, STAGE: 'qa' })).toThrow(/STAGE is invalid/);
  });
});

describe('template configuration', () => {
  const templatesOf = (value: string) =>
    reminderEnvSchema.shape.WHATSAPP_TEMPLATES.safeParse(value) as {
      success: boolean;
      data?: unknown;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };

  it('parses the templates from JSON', () => {
    expect(templatesOf(JSON.stringify(DEFAULT_MESSAGE_TEMPLATES))).toMatchObject({
      success: true,
      data: DEFAULT_MESSAGE_TEMPLATES,
    });
  });

  it.each([
    ['text that is not JSON', '{reminder:', 'must be JSON'],
    [
      'a set without the re-engagement template',
      JSON.stringify({ ...DEFAULT_MESSAGE_TEMPLATES, reengagement: undefined }),
      'reengagement',
    ],
    [
      'a name Meta would not approve',
      JSON.stringify({
        ...DEFAULT_MESSAGE_TEMPLATES,
        reminder: { ...DEFAULT_MESSAGE_TEMPLATES.reminder, en: { name: 'Reminder EN', language: 'en' } },
      }),
      'reminder.en.name',
    ],
  ])('refuses %s, on the variable itself', (_case, value, problem) => {
    const result = templatesOf(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: [] })]);
    expect(result.error?.issues[0]?.message).toContain(problem);
  });
});

// Powertools Parameters for every function; one GetSecretValue for the ingress's cold start.
describe.each<[string, () => SecretReader]>([
  ['powertools', () => powertoolsSecretReader],
  ['lean', () => leanSecretReader()],
])('JSON secrets read by the %s reader', (readerName, reader) => {
  const secretsManager = mockClient(SecretsManagerClient);
  beforeEach(() => secretsManager.reset());

  it('reads, validates and caches a JSON secret', async () => {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:wa-cache-${readerName}`;
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ appSecret: 'a', verifyToken: 'v', accessToken: 't' }),
    });
    const read = jsonSecret(arn, whatsappSecretSchema, reader());
    await expect(read()).resolves.toEqual({ appSecret: 'a', verifyToken: 'v', accessToken: 't' });
    await read();
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: arn });
  });

  it('names the fields a secret lacks, without echoing its values', async () => {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:wa-partial-${readerName}`;
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ appSecret: 'hunter2' }) });
    const failure = jsonSecret(arn, whatsappSecretSchema, reader())();
    await expect(failure).rejects.toThrow(/verifyToken, accessToken/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('reads the secret again once the cached value is five minutes old, so a rotation is picked up', async () => {
    // Prepare
    jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:wa-rotated-${readerName}`;
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({
        SecretString: JSON.stringify({ appSecret: 'old', verifyToken: 'v', accessToken: 't' }),
      })
      .resolves({ SecretString: JSON.stringify({ appSecret: 'new', verifyToken: 'v', accessToken: 't' }) });
    const read = jsonSecret(arn, whatsappSecretSchema, reader());

    try {
      // Act
      const first = await read();
      jest.setSystemTime(new Date('2026-03-01T12:04:59Z'));
      const cached = await read();
      jest.setSystemTime(new Date('2026-03-01T12:05:01Z'));
      const refreshed = await read();

      // Assess
      expect([first.appSecret, cached.appSecret, refreshed.appSecret]).toEqual(['old', 'old', 'new']);
      expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a secret that is not JSON, without echoing it', async () => {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:wa-plain-${readerName}`;
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2' });

    const failure = jsonSecret(arn, whatsappSecretSchema, reader())();

    await expect(failure).rejects.toThrow(/is not JSON/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });
});

describe('a JSON secret read on every webhook', () => {
  it('is parsed and validated once per secret text, and again when the text changes', async () => {
    let text = JSON.stringify({ appSecret: 'old', verifyToken: 'v', accessToken: 't' });
    let validations = 0;
    const counted = z.pipe(
      whatsappSecretSchema,
      z.transform((secret) => {
        validations += 1;
        return secret;
      }),
    );
    const read = jsonSecret('arn:aws:secretsmanager:us-east-1:1:secret:wa', counted, () =>
      Promise.resolve(text),
    );

    await read();
    await read();
    const before = await read();
    text = JSON.stringify({ appSecret: 'new', verifyToken: 'v', accessToken: 't' });
    const after = await read();

    expect([before.appSecret, after.appSecret, validations]).toEqual(['old', 'new', 2]);
  });
});
