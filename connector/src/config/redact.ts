/** Setting names whose values are secrets, wherever they appear. */
const secretNames = new Set([
  'key',
  'apikey',
  'secret',
  'signingsecret',
  'password',
  'pass',
  'token',
  'clientsecret',
  'platformclientsecret',
  'connectionstring',
  'credsfile',
  'seed',
  'jwt',
]);

const mask = '**********';

/**
 * Returns a copy of the configuration with every secret masked (keys, secrets, passwords, tokens, the
 * database connection string, webhook header values), fit for logs and the support endpoint.
 */
export function redactConfig(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => redactConfig(item, parentKey));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const secret = parentKey === 'headers' || secretNames.has(key.toLowerCase());
    // A secret-named section (authentication.apiKey) is walked; only its values are masked.
    if (secret && (typeof inner !== 'object' || inner === null))
      out[key] = inner === undefined ? inner : mask;
    else out[key] = redactConfig(inner, key);
  }
  return out;
}
