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

  it('reads the file limits: 1 GiB per file, 15 % of JetStream storage for the files stream', () => {
    const defaults = loadStackSettings({}, '/');
    expect(defaults.fileMaxBytes).toBe(1024 ** 3);
    expect(defaults.broker.filesStoragePercent).toBe(15);
    const set = loadStackSettings(
      { ENMESH_FILE_MAX_BYTES: '5000000', ENMESH_FILES_STORAGE_PERCENT: '20' },
      '/',
    );
    expect([set.fileMaxBytes, set.broker.filesStoragePercent]).toEqual([5_000_000, 20]);
    expect(() => loadStackSettings({ ENMESH_FILES_STORAGE_PERCENT: '25' }, '/')).toThrow(/1 to 20/);
    expect(() => loadStackSettings({ ENMESH_FILE_MAX_BYTES: '1000' }, '/')).toThrow(/ENMESH_FILE_MAX_BYTES/);
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

  it('reads quota tiers over the basic tier, and reports every fault in them', () => {
    const set = loadStackSettings(
      {
        ENMESH_QUOTA_TOKENS: '7',
        ENMESH_QUOTA_TIERS: JSON.stringify({ business: { messagesPerHour: 100_000, devices: 50 } }),
      },
      '/',
    );
    expect(set.quotas.basic.tokens).toBe(7);
    expect(set.quotas.business).toMatchObject({ tokens: 7, messagesPerHour: 100_000, devices: 50 });
    expect(set.deletionGracePeriodMs).toBe(14 * 86_400_000);
    try {
      loadStackSettings(
        { ENMESH_QUOTA_TIERS: JSON.stringify({ Gold: {}, silver: { stars: 1, files: -1 } }) },
        '/',
      );
      expect.unreachable();
    } catch (error) {
      expect((error as SettingsError).problems).toEqual([
        expect.stringMatching(/tier name "Gold"/),
        expect.stringMatching(/silver\.stars is not a quota/),
        expect.stringMatching(/silver\.files must be an integer/),
      ]);
    }
    expect(() => loadStackSettings({ ENMESH_QUOTA_TIERS: '[1]' }, '/')).toThrow(/JSON object/);
  });
});
