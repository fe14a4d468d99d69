import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ChasquiStack } from './chasqui-stack';
import { configFor } from './config';

const contextString = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`Context "${key}" must be a non-empty string, e.g. -c ${key}=...`);
  }
  return value;
};

/**
 * Adds the stack of the environment named by `-c env=...` (default dev) to `app`, env-agnostic so that
 * `cdk synth` needs no credentials and no look-ups (FACTS), and runs cdk-nag's AwsSolutions pack on it.
 */
export const addChasquiStack = (app: App): ChasquiStack => {
  const config = configFor(contextString(app, 'env') ?? 'dev');
  const stack = new ChasquiStack(app, `Chasqui-${config.envName}`, {
    config,
    // Tests pin it with -c deployNonce=...; a real deploy gets a fresh one from every synth.
    deployNonce: contextString(app, 'deployNonce') ?? new Date().toISOString(),
    description: `Chasqui WhatsApp assistant (${config.envName})`,
    terminationProtection: config.envName === 'prod',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
