import { AdminError, setIdentityTier } from './admin.js';
import { openDatabase } from './database.js';
import { backboneSchema } from './schema.js';
import { loadStackSettings, SettingsError } from './settings.js';

const usage = 'usage: npm run admin -- set-tier <identity address> <tier>';

/**
 * Operator commands against the backbone's database (the same settings as `npm start`):
 * `set-tier <address> <tier>` moves an identity to a quota tier of ENMESH_QUOTA_TIERS (or `basic`).
 */
async function main(args: readonly string[]): Promise<number> {
  const [command, address, tier] = args;
  if (command !== 'set-tier' || !address || !tier) {
    console.error(usage);
    return 2;
  }
  try {
    const settings = loadStackSettings(process.env, process.cwd());
    const db = await openDatabase({
      databaseUrl: settings.databaseUrl,
      dataDir: settings.broker.dataDir,
      schema: backboneSchema,
    });
    try {
      await setIdentityTier(db, settings.quotas, address, tier);
    } finally {
      await db.destroy();
    }
    console.log(`${address} is now in tier ${tier}`);
    return 0;
  } catch (error) {
    if (error instanceof SettingsError || error instanceof AdminError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
