import { Logger } from '@aws-lambda-powertools/logger';

/** A real Powertools logger whose lines are captured instead of printed. */
export const capturingLogger = (): { logger: Logger; lines: () => string[] } => {
  const lines: string[] = [];
  const sink = { log: (line: string) => lines.push(line) };
  // Powertools writes every line through its own `console` field; point each level at the sink, in
  // child loggers (created per queue record) too.
  const levels = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const capture = (logger: Logger): Logger => {
    Object.assign(logger as unknown as { console: Console }, {
      console: Object.fromEntries(levels.map((level) => [level, sink.log])),
    });
    const createChild = logger.createChild.bind(logger);
    logger.createChild = (options) => capture(createChild(options));
    return logger;
  };
  return { logger: capture(new Logger({ serviceName: 'test', logLevel: 'DEBUG' })), lines: () => [...lines] };
};
