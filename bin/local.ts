import { loadLocalEnv } from '../local/config';
import { startLocalStack } from '../local/stack';

/**
 * `npm start`: the whole stack on this machine. Errors a person can fix (a port in use, a data
 * directory that cannot be written, a bad variable) are explained in one line, without a stack trace.
 */
const explain = (error: unknown, port: number, dataDir: string): string => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return `Port ${port} is already in use. Stop the other process or run with PORT=<another port>.`;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return `Cannot write to the data directory "${dataDir}". Choose another with DATA_DIR=<path>.`;
  }
  return error instanceof Error ? error.message : String(error);
};

const main = async () => {
  let env;
  try {
    env = loadLocalEnv(process.env);
  } catch (error) {
    console.error(`Chasqui could not start: ${explain(error, 0, '')}`);
    process.exit(1);
  }
  const started = performance.now();
  const stack = await startLocalStack(env).catch((error: unknown) => {
    console.error(`Chasqui could not start: ${explain(error, env.PORT, env.DATA_DIR)}`);
    process.exit(1);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  Chasqui is running (started in ${seconds} s)`,
      '',
      `  Chat simulator   ${stack.url}/`,
      `  Dashboard        ${stack.url}/dashboard`,
      `  Webhook          ${stack.url}/webhook`,
      `  Graph API stub   ${stack.graphUrl}`,
      `  Assistant        ${stack.llm}`,
      `  Data             ${env.DATABASE_URL ? 'DATABASE_URL' : stack.dataDir}`,
      '',
      '  Ctrl-C to stop; queued messages and schedules are kept.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n  ${signal}: stopping…`);
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`  Stopped with an error: ${explain(error, env.PORT, env.DATA_DIR)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

void main();
