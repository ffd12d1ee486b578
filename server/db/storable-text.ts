/**
 * PostgreSQL text and jsonb cannot hold a NUL character, nor half of a UTF-16 surrogate pair
 * (jsonb refuses the lone `\ud800` that JSON.stringify writes for one). Such text, from a
 * scanner or a damaged file, must be refused as bad input before it reaches a statement: there
 * it would fail the whole transaction, and with it every other mutation grouped with it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` cannot be stored, or null when every string in it (keys too) can be. */
export function unstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    const where = path === '' ? '' : `${path}: `;
    if (value.includes('\u0000')) return `${where}text with a NUL character cannot be stored`;
    if (LONE_SURROGATE.test(value)) {
      return `${where}text with a broken character (half a surrogate pair) cannot be stored`;
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const reason = unstorableText(value[i], path === '' ? String(i) : `${path}.${i}`);
      if (reason !== null) return reason;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      const reason = unstorableText(key, at) ?? unstorableText(inner, at);
      if (reason !== null) return reason;
    }
  }
  return null;
}
