import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { type ConnectorConfig, connectorConfigSchema } from './schema.js';

type Env = Readonly<Record<string, string | undefined>>;
type Tree = Record<string, unknown>;

/** The top-level keys an environment variable may set; other variables (PATH, HOME …) are not settings. */
const rootKeys = new Set(Object.keys(connectorConfigSchema.shape));

/** Environment variables the Enmeshed Connector reads as aliases of settings. */
const aliases: Readonly<Record<string, string>> = {
  DATABASE_CONNECTION_STRING: 'database.connectionString',
  DATABASE_NAME: 'database.dbName',
  DEBUG: 'debug',
};

/**
 * Loads the connector's configuration in layers: defaults, then the JSON file named by
 * `CUSTOM_CONFIG_LOCATION`, then environment variables whose names are setting paths with `__` or `:`
 * between levels (`infrastructure__httpServer__port`, `modules:webhooks:enabled`). Validates once and
 * reports every problem together. Reads no global state: the caller passes the environment.
 * @throws ConfigError listing each problem with its path.
 */
export function loadConfig(options: { env: Env; cwd?: string }): ConnectorConfig {
  const problems: ConfigProblem[] = [];
  const fromFile = readConfigFile(options.env, options.cwd ?? '.', problems);
  const { tree: fromEnv, origins } = readEnv(options.env, problems);
  return validate(merge(fromFile, fromEnv), problems, origins);
}

/**
 * Validates an already merged settings object (defaults fill the gaps), e.g. one built in code by tests.
 * @throws ConfigError listing each problem with its path.
 */
export function parseConfig(input: unknown): ConnectorConfig {
  return validate(input, [], new Map());
}

function validate(input: unknown, problems: ConfigProblem[], origins: Map<string, string>): ConnectorConfig {
  const result = connectorConfigSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || '(root)';
      const origin = origins.get(path);
      problems.push({ path, message: origin ? `${issue.message} (from ${origin})` : issue.message });
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

function readConfigFile(env: Env, cwd: string, problems: ConfigProblem[]): Tree {
  const location = env.CUSTOM_CONFIG_LOCATION;
  if (!location) return {};
  const path = resolve(cwd, location);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push({
      path: 'CUSTOM_CONFIG_LOCATION',
      message: `cannot read ${path}: ${(error as Error).message}`,
    });
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isTree(parsed)) return parsed;
    problems.push({ path: 'CUSTOM_CONFIG_LOCATION', message: `${path} does not hold a JSON object` });
  } catch (error) {
    problems.push({
      path: 'CUSTOM_CONFIG_LOCATION',
      message: `${path} is not JSON: ${(error as Error).message}`,
    });
  }
  return {};
}

function readEnv(env: Env, problems: ConfigProblem[]): { tree: Tree; origins: Map<string, string> } {
  const tree: Tree = {};
  const origins = new Map<string, string>();
  const entries = Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const segments = (aliases[name] ?? name).split(aliases[name] ? '.' : /__|:/);
    if (!rootKeys.has(segments[0] ?? '') || segments.some((s) => s === '')) continue;
    let node = tree;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      if (next === undefined) node[segment] = {};
      else if (!isTree(next)) {
        problems.push({ path: segments.join('.'), message: `${name} nests below a setting that is a value` });
        node = {};
        continue;
      }
      node = node[segment] as Tree;
    }
    node[segments.at(-1)!] = value;
    origins.set(segments.join('.'), `environment variable ${name}`);
  }
  return { tree, origins };
}

/** Deep-merges `over` into `base`: objects merge, other values replace; index keys update array items. */
function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = Array.isArray(out[key]) ? { ...(out[key] as unknown[]) } : out[key];
    out[key] = isTree(current) && isTree(value) ? merge(current, value) : value;
  }
  return out;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
