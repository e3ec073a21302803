/**
 * Tells whether a granted scope pattern covers a required scope. Segments are separated by `:`; `*` matches
 * exactly one segment and `**` any number of segments, so `core:*` covers `core:messages` but not
 * `core:requests:incoming`, and `**` covers everything (the Enmeshed Connector's roles).
 */
export function scopeCovers(granted: string, required: string): boolean {
  return matchSegments(granted.split(':'), 0, required.split(':'), 0);
}

function matchSegments(pattern: string[], p: number, subject: string[], s: number): boolean {
  if (p === pattern.length) return s === subject.length;
  const head = pattern[p];
  if (head === '**') {
    for (let skip = s; skip <= subject.length; skip++) {
      if (matchSegments(pattern, p + 1, subject, skip)) return true;
    }
    return false;
  }
  if (s === subject.length) return false;
  return (head === '*' || head === subject[s]) && matchSegments(pattern, p + 1, subject, s + 1);
}

/**
 * Tells whether a principal's granted scopes allow a route that accepts any of `required`. A route with no
 * required scope only needs an authenticated principal.
 */
export function isAllowed(granted: readonly string[], required: readonly string[]): boolean {
  if (required.length === 0) return true;
  return required.some((need) => granted.some((have) => scopeCovers(have, need)));
}
