import pino, { type Logger } from 'pino';

/**
 * Creates the process logger: JSON lines (pino), or readable lines when `pretty` is set (an interactive
 * terminal). Fields that could hold secrets are redacted wherever they appear.
 */
export function createLogger(level: string, pretty: boolean): Logger {
  return pino({
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
  });
}
