import { Logger } from '@aws-lambda-powertools/logger';

/** A real Powertools logger whose lines are captured instead of printed. */
export const capturingLogger = (): { logger: Logger; lines: () => string[] } => {
  const lines: string[] = [];
  const sink = { log: (line: string) => lines.push(line) };
  const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
  // Powertools writes every line through its own `console` field; point each level at the sink.
  const levels = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  Object.assign(logger as unknown as { console: Console }, {
    console: Object.fromEntries(levels.map((level) => [level, sink.log])),
  });
  return { logger, lines: () => [...lines] };
};
