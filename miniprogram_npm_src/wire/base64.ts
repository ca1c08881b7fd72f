/**
 * Repairs the ways base64 gets bent on its way from WeChat to the guard, then
 * checks it. Returns the standard, padded form, or undefined when the text is
 * not base64 even after repair.
 */

const BASE64_BODY = /^[A-Za-z0-9+/]+$/

/** Standard padded base64 of a length that is a multiple of 4: one charCode loop, cheaper than a regex over the ~344 characters of a phone number's ciphertext. */
function isStandard(value: string): boolean {
  const { length } = value
  if (length === 0 || length % 4 !== 0) return false
  let end = length
  // At most two "=", and only at the end.
  if (value.charCodeAt(end - 1) === 61) end--
  if (value.charCodeAt(end - 1) === 61) end--
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i)
    // A-Z, a-z, 0-9, "+", "/"
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) return false
  }
  return end > 0
}

export function normaliseBase64(value: string): string | undefined {
  // What WeChat hands over is nearly always standard already: one pass, no copies.
  if (isStandard(value)) return value
  const repaired = value
    // Line breaks and tabs come from wrapping and copy-paste; a space is a "+" that form decoding ate.
    .replace(/[\r\n\t\f\v]/g, '')
    .replace(/ /g, '+')
    // The URL-safe alphabet (RFC 4648 §5) maps one to one onto the standard one.
    .replace(/-/g, '+')
    .replace(/_/g, '/')
  const body = repaired.replace(/=+$/, '')
  const given = repaired.length - body.length
  if (!BASE64_BODY.test(body)) return undefined
  // A body of 2 or 3 characters past a multiple of 4 takes exactly 2 or 1 "="; 1 is never valid.
  const needed = (4 - (body.length % 4)) % 4
  if (needed === 3 || given > needed) return undefined
  return body + '='.repeat(needed)
}
