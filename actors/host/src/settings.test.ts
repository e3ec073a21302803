import { describe, expect, it } from 'vitest';
import { loadStackSettings, SettingsError } from './settings.js';

describe('loadStackSettings', () => {
  it('uses the defaults, with the data directory under the working directory', () => {
    const settings = loadStackSettings({}, '/srv/enmesh');
    expect(settings.broker.dataDir).toBe('/srv/enmesh/.enmesh-data');
    expect(settings.broker.port).toBe(14222);
    expect(settings.databaseUrl).toBeUndefined();
    expect(settings.backboneHost).toBe('localhost');
  });

  it('reports every invalid setting at once', () => {
    try {
      loadStackSettings(
        {
          ENMESH_NATS_PORT: 'abc',
          ENMESH_MAILBOX_SHARDS: '0',
          DATABASE_URL: 'mysql://x',
          ENMESH_LOG_LEVEL: 'loud',
        },
        '/',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems).toHaveLength(4);
      expect((error as SettingsError).message).toMatch(/ENMESH_NATS_PORT=abc/);
    }
  });
});
