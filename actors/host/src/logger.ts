import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Creates the process logger: JSON lines (pino), or readable lines when `pretty` is set (an interactive
 * terminal), to stdout or the given destination. Fields that could hold secrets are redacted.
 */
export function createLogger(level: string, pretty: boolean, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: ['*.seed', '*.jwt', '*.creds', '*.privateKey', '*.signature', 'seed', 'jwt'],
      censor: '[redacted]',
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
