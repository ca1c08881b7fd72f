/**
 * The session token's wire format. Every field is read canonically: a field is accepted only when
 * writing back what it decodes to gives the very same characters, so one token has one string.
 *
 *   v2.<appid>.<openid>.<tokenId>.<issuedAt>.<expiresAt>.<HMAC-SHA256 of everything before it>
 *   v1.<openid>.<expiresAt>.<HMAC-SHA256>   (issued before 0.2; read until it expires)
 *
 * Text fields are UTF-8 in base64url without padding; times are whole seconds in decimal without
 * leading zeros; the token id is 16 random bytes.
 */

export const V2 = 'v2'
export const V1 = 'v1'
export const TOKEN_ID_BYTES = 16
export const MAX_OPENID_CHARS = 128
export const MAX_APPID_CHARS = 64
/** The appid field holds `<platform>:<appid>` off WeChat: room for the longest platform name. */
export const MAX_AUDIENCE_CHARS = MAX_APPID_CHARS + 16
/**
 * Longest token verify() reads. Every token issue() writes is shorter: the audience and the openid at
 * their longest (3 UTF-8 bytes per UTF-16 unit) take 320 + 512 characters, the rest under 110.
 */
export const MAX_TOKEN_CHARS = 1024

/** The latest time a token can carry: `SECONDS` reads 12 digits at most. */
export const MAX_TOKEN_SECONDS = 999_999_999_999

const BASE64URL = /^[A-Za-z0-9_-]+$/
const SECONDS = /^(0|[1-9][0-9]{0,11})$/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** 1…max UTF-16 units, no lone surrogate (it would not survive UTF-8: two openids would become one). */
export function isWellFormedText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !LONE_SURROGATE.test(value)
}

export const encodeText = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

/** The bytes of a canonical base64url field, else undefined (padding, '+/', junk, a twin last character). */
export function decodeCanonical(field: string): Buffer | undefined {
  if (!BASE64URL.test(field)) return undefined
  const bytes = Buffer.from(field, 'base64url')
  return bytes.toString('base64url') === field ? bytes : undefined
}

/** The text of a canonical field holding well-formed UTF-8, else undefined. */
export function decodeText(field: string, max: number): string | undefined {
  const bytes = decodeCanonical(field)
  if (!bytes) return undefined
  const text = bytes.toString('utf8')
  // Malformed UTF-8 decodes to U+FFFD and does not round-trip.
  return Buffer.byteLength(text, 'utf8') === bytes.length && encodeText(text) === field && isWellFormedText(text, max) ? text : undefined
}

export function decodeSeconds(field: string): number | undefined {
  return SECONDS.test(field) ? Number(field) : undefined
}

export interface V2Fields {
  appId: string
  openid: string
  tokenId: string
  issuedAt: number
  expiresAt: number
}

/** Everything before the signature. */
export function v2Body(fields: { appId: string; openid: string; tokenId: string; issuedAt: number; expiresAt: number }): string {
  return `${V2}.${fields.appId === '' ? '' : encodeText(fields.appId)}.${encodeText(fields.openid)}.${fields.tokenId}.${fields.issuedAt}.${fields.expiresAt}`
}

export interface ParsedToken {
  /** What the signature covers. */
  body: string
  mac: string
  version: typeof V1 | typeof V2
  appId: string
  openid: string
  tokenId?: string
  issuedAt?: number
  expiresAt: number
}

/** The fields of a well-formed token, unverified; undefined for anything not written exactly as issue() writes it. */
export function parseToken(token: unknown): ParsedToken | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return undefined
  const parts = token.split('.')
  const mac = parts[parts.length - 1]
  const body = token.slice(0, token.length - mac.length - 1)
  if (parts[0] === V2 && parts.length === 7) {
    const appId = parts[1] === '' ? '' : decodeText(parts[1], MAX_AUDIENCE_CHARS)
    const openid = decodeText(parts[2], MAX_OPENID_CHARS)
    const id = decodeCanonical(parts[3])
    const issuedAt = decodeSeconds(parts[4])
    const expiresAt = decodeSeconds(parts[5])
    if (appId === undefined || !openid || !id || id.length !== TOKEN_ID_BYTES || issuedAt === undefined || expiresAt === undefined || expiresAt <= issuedAt) return undefined
    return { body, mac, version: V2, appId, openid, tokenId: parts[3], issuedAt, expiresAt }
  }
  if (parts[0] === V1 && parts.length === 4) {
    const openid = decodeText(parts[1], MAX_OPENID_CHARS)
    const expiresAt = decodeSeconds(parts[2])
    if (!openid || expiresAt === undefined) return undefined
    return { body, mac, version: V1, appId: '', openid, expiresAt }
  }
  return undefined
}
