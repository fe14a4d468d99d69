import { functionEnvSchemas, processorEnvSchema } from '../../layers/core/config/env';
import { configFor } from '../../lib/config';
import { RUNTIME_ENVIRONMENT_KEYS } from '../../lib/constructs/chasqui-function';
import { powertoolsLayerParameterName, powertoolsVersion } from '../../lib/constructs/function-bundling';
import { chasquiFunctions, type Synthesized, synthesize } from './support';

describe('function environments', () => {
  let prod: Synthesized;
  beforeAll(() => {
    prod = synthesize('prod');
  });

  const variablesOf = (name: string): Record<string, unknown> => {
    const fn = chasquiFunctions(prod.template)[name]!;
    return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  };

  it('the stack deploys exactly the functions that have an env schema', () => {
    expect(Object.keys(chasquiFunctions(prod.template)).sort()).toEqual(
      Object.keys(functionEnvSchemas).sort(),
    );
  });

  it.each(Object.entries(functionEnvSchemas))(
    'the %s function receives exactly the variables its env schema reads, plus the runtime ones',
    (name, schema) => {
      // Prepare
      const expected = [...Object.keys(schema.shape), ...RUNTIME_ENVIRONMENT_KEYS].sort();

      // Act
      const actual = Object.keys(variablesOf(name)).sort();

      // Assess
      expect(actual).toEqual(expected);
    },
  );

  it('every function names its stage, its service and the environment metrics namespace', () => {
    for (const name of Object.keys(functionEnvSchemas)) {
      expect(variablesOf(name)).toMatchObject({
        STAGE: 'prod',
        POWERTOOLS_SERVICE_NAME: `chasqui-${name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Chasqui-prod',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('the VPC functions reach Postgres through the proxy endpoint', () => {
    const proxyEndpoint = prod.stack.resolve(prod.stack.database.proxyEndpoint) as unknown;

    for (const name of ['processor', 'reminder', 'redrive', 'migrate']) {
      expect(variablesOf(name)).toMatchObject({
        DB_HOST: proxyEndpoint,
        DB_PORT: '5432',
        DB_NAME: 'chasqui',
      });
    }
  });

  it('the processor gets the configured Graph API version, models, LLM limits, budgets and embedding space', () => {
    expect(variablesOf('processor')).toMatchObject({
      GRAPH_API_VERSION: expect.stringMatching(/^v\d+\.\d+$/),
      LLM_TIMEOUT_MS: expect.stringMatching(/^\d+$/),
      LLM_MAX_TOKENS: expect.stringMatching(/^\d+$/),
      DAILY_BUDGET_USD: String(configFor('prod').llm.dailyBudgetUsd),
      USER_DAILY_BUDGET_USD: String(configFor('prod').llm.userDailyBudgetUsd),
      EMBEDDING_MODEL: configFor('prod').llm.embeddingModel,
      EMBEDDING_DIMENSIONS: String(configFor('prod').llm.embeddingDimensions),
    });
  });

  it('the processor gets the configured consent keywords and the operator contact', () => {
    const { consent } = configFor('prod');
    expect(variablesOf('processor')).toMatchObject({
      OPT_OUT_KEYWORDS: consent.optOutKeywords.join(','),
      OPT_IN_KEYWORDS: consent.optInKeywords.join(','),
      OPERATOR_CONTACT: consent.operatorContact,
    });
    // What the processor reads back is the list the config holds.
    const { OPT_OUT_KEYWORDS, OPT_IN_KEYWORDS } = processorEnvSchema.shape;
    expect(OPT_OUT_KEYWORDS.parse(variablesOf('processor').OPT_OUT_KEYWORDS)).toEqual(consent.optOutKeywords);
    expect(OPT_IN_KEYWORDS.parse(variablesOf('processor').OPT_IN_KEYWORDS)).toEqual(consent.optInKeywords);
  });

  it('the processor and the reminder function get the environment’s templates, as JSON their schema accepts', () => {
    for (const name of ['processor', 'reminder'] as const) {
      const templates = variablesOf(name).WHATSAPP_TEMPLATES;
      expect(JSON.parse(templates as string)).toEqual(configFor('prod').whatsapp.templates);
      expect(functionEnvSchemas[name].shape.WHATSAPP_TEMPLATES.safeParse(templates).success).toBe(true);
    }
  });

  it('every function runs Node 22 on ARM64 with active tracing', () => {
    for (const name of Object.keys(functionEnvSchemas)) {
      expect(chasquiFunctions(prod.template)[name]!.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
  });

  it('every function takes Powertools from the official layer of the version the code is tested with', () => {
    // Prepare
    const parameters = prod.template.toJSON().Parameters as Record<
      string,
      { Type: string; Default?: string }
    >;
    const layerParameter = Object.entries(parameters).find(
      ([, parameter]) => parameter.Default === powertoolsLayerParameterName(powertoolsVersion()),
    );

    // Assess
    expect(layerParameter?.[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
    for (const name of Object.keys(functionEnvSchemas)) {
      expect(chasquiFunctions(prod.template)[name]!.Properties.Layers).toEqual([
        { Ref: layerParameter?.[0] },
      ]);
    }
  });
});
