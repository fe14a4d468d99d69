import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../layers/core/outbound/templates';
import { bundleLikeLambda } from '../bench/bundle';

const ROOT = resolve(__dirname, '../..');
const HANDLER = join(ROOT, 'functions/processor/handler.ts');

/** A complete processor environment (layers/core/config/env.ts); nothing here is ever called. */
const PROCESSOR_ENV = {
  STAGE: 'dev',
  POWERTOOLS_SERVICE_NAME: 'chasqui-processor',
  POWERTOOLS_METRICS_NAMESPACE: 'Chasqui-test',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  DB_HOST: 'localhost',
  DB_NAME: 'chasqui',
  DB_APP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
  WHATSAPP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:whatsapp',
  GRAPH_API_VERSION: 'v23.0',
  WHATSAPP_TEMPLATES: JSON.stringify(DEFAULT_MESSAGE_TEMPLATES),
  SCHEDULE_GROUP_NAME: 'reminders',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq',
  LLM_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:llm',
  ANTHROPIC_MODEL: 'claude-haiku-4-5',
  OPENAI_MODEL: 'gpt-5-mini',
  TRANSCRIPTION_MODEL: 'gpt-4o-mini-transcribe',
  LLM_TIMEOUT_MS: '8000',
  LLM_MAX_TOKENS: '1024',
  DAILY_BUDGET_USD: '10',
  USER_DAILY_BUDGET_USD: '1',
  OPT_OUT_KEYWORDS: '',
  OPT_IN_KEYWORDS: '',
  OPERATOR_CONTACT: 'support@example.com',
  EMBEDDING_MODEL: 'text-embedding-3-small',
  EMBEDDING_DIMENSIONS: '1536',
  STATE_TABLE_NAME: 'state',
  REMINDER_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:reminder',
};

/**
 * Anthropic answers first and OpenAI is the fallback, so the OpenAI SDK must not be loaded by every
 * processor cold start; it must still be in the bundle, as no layer brings it.
 */
describe('processor bundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chasqui-processor-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the OpenAI SDK', async () => {
    const { packages } = await bundleLikeLambda(HANDLER, join(dir, 'processor.js'));

    expect(packages).toEqual(expect.arrayContaining(['openai', '@anthropic-ai/sdk']));
  });

  it('does not load the OpenAI SDK when the function starts', async () => {
    // Prepare: the SDK left out of the bundle, so loading it shows in the require cache.
    const { path } = await bundleLikeLambda(HANDLER, join(dir, 'processor-lean.js'), {
      external: ['openai'],
    });
    const script = `
      require(${JSON.stringify(path)});
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({
        openai: loaded.some((file) => file.includes('/node_modules/openai/')),
        logger: loaded.some((file) => file.includes('/node_modules/@aws-lambda-powertools/logger/')),
      }));
      process.exit(0);`;

    // Act: import the handler in a fresh process, as a Lambda cold start does.
    const output = execFileSync(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), ...PROCESSOR_ENV },
      encoding: 'utf8',
    });

    // Assess: an external loaded at start (Powertools Logger) shows; the OpenAI SDK does not.
    expect(JSON.parse(output)).toEqual({ openai: false, logger: true });
  });
});
