import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Creates the connector's logger: JSON lines (pino) to stdout or the given destination. Fields that could
 * hold secrets are redacted wherever they appear; callers log ids, names and counts, never bodies.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { component: 'connector' },
    redact: {
      paths: [
        'key',
        'apiKey',
        'secret',
        'signingSecret',
        'password',
        'pass',
        'token',
        'authorization',
        'connectionString',
        '*.key',
        '*.apiKey',
        '*.secret',
        '*.signingSecret',
        '*.password',
        '*.pass',
        '*.token',
        '*.authorization',
        '*.connectionString',
        '*.headers',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
