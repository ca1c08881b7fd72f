import { ServerError } from '../common/errors'

/** Far above any real open data (a phone number is ~200 bytes), low enough to refuse abuse cheaply. */
const MAX_CIPHERTEXT_CHARS = 64 * 1024
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Base64 whose '+' became ' ' on the way (form or URL encoding) is repaired; anything else non-base64 is refused. */
export function decodeBase64(value: unknown, field: string, bytes?: number): Buffer {
  if (typeof value !== 'string' || value.length === 0) throw new ServerError('BAD_INPUT', `${field} must be a non-empty base64 string`)
  if (value.length > MAX_CIPHERTEXT_CHARS) throw new ServerError('BAD_INPUT', `${field} is too long`)
  // Repair first: a '+' at either end became a space too, and trimming would drop it.
  const repaired = (value.includes(' ') ? value.replace(/ /g, '+') : value).trim()
  if (!BASE64.test(repaired) || repaired.length % 4 !== 0) throw new ServerError('BAD_INPUT', `${field} is not base64`)
  const decoded = Buffer.from(repaired, 'base64')
  if (bytes !== undefined && decoded.length !== bytes) throw new ServerError('BAD_INPUT', `${field} must decode to ${bytes} bytes`)
  return decoded
}

export const notDecrypted = (why = 'open data did not decrypt with this session key') => new ServerError('DECRYPT_FAILED', why)

/** The plaintext as a JSON object, or DECRYPT_FAILED: a wrong key gives garbage that is neither. */
export function jsonObject(text: Buffer): Record<string, unknown> {
  let data: unknown
  try {
    data = JSON.parse(text.toString('utf8'))
  } catch {
    throw notDecrypted()
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw notDecrypted('open data is not a JSON object')
  return data as Record<string, unknown>
}
