import { createDecipheriv } from 'node:crypto'
import { ServerError } from '../common/errors'

export interface DecryptOptions {
  sessionKey: string
  encryptedData: string
  iv: string
  appId: string
  /** Reject data whose watermark is older than this (and more than `maxFutureSeconds` in the future). */
  maxAgeSeconds?: number
  /** With `maxAgeSeconds`: how far ahead of this clock a watermark may be (default 60 s of clock skew). */
  maxFutureSeconds?: number
  /** Clock for the age check, in ms. */
  now?: number
  /**
   * 'required' (default): the plaintext must carry `watermark.appid` equal to `appId`. 'if-present':
   * data WeChat seals without one (wx.getChatToolInfo) opens too; a watermark that is there is still
   * checked, the age only on data that has one, and a phone number never opens without one.
   */
  watermark?: 'required' | 'if-present'
}

export interface Watermark {
  appid: string
  timestamp: number
}

/** Far above any real open data (a phone number is ~200 bytes), low enough to refuse abuse cheaply. */
const MAX_CIPHERTEXT_CHARS = 64 * 1024
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Base64 whose '+' became ' ' on the way (form or URL encoding) is repaired; anything else non-base64 is refused. */
function decodeBase64(value: unknown, field: string, bytes?: number): Buffer {
  if (typeof value !== 'string' || value.length === 0) throw new ServerError('BAD_INPUT', `${field} must be a non-empty base64 string`)
  if (value.length > MAX_CIPHERTEXT_CHARS) throw new ServerError('BAD_INPUT', `${field} is too long`)
  // Repair first: a '+' at either end became a space too, and trimming would drop it.
  const repaired = (value.includes(' ') ? value.replace(/ /g, '+') : value).trim()
  if (!BASE64.test(repaired) || repaired.length % 4 !== 0) throw new ServerError('BAD_INPUT', `${field} is not base64`)
  const decoded = Buffer.from(repaired, 'base64')
  if (bytes !== undefined && decoded.length !== bytes) throw new ServerError('BAD_INPUT', `${field} must decode to ${bytes} bytes`)
  return decoded
}

/**
 * WeChat open data: AES-128-CBC with PKCS#7, key = base64(session_key),
 * checked against the watermark's appid (and age, when asked).
 */
export function decryptOpenData<T = Record<string, unknown>>(options: DecryptOptions & { watermark?: 'required' }): T & { watermark: Watermark }
export function decryptOpenData<T = Record<string, unknown>>(options: DecryptOptions): T & { watermark?: Watermark }
export function decryptOpenData<T = Record<string, unknown>>(options: DecryptOptions): T & { watermark?: Watermark } {
  checkAgeOptions(options)
  if (options.watermark !== undefined && options.watermark !== 'required' && options.watermark !== 'if-present') throw new ServerError('BAD_INPUT', "watermark must be 'required' or 'if-present'")
  const key = decodeBase64(options.sessionKey, 'sessionKey', 16)
  const iv = decodeBase64(options.iv, 'iv', 16)
  const ciphertext = decodeBase64(options.encryptedData, 'encryptedData')
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw new ServerError('DECRYPT_FAILED', 'ciphertext is not whole AES blocks')
  let data: T & { watermark?: { appid?: unknown; timestamp?: unknown } }
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, iv)
    const text = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
    data = JSON.parse(text)
  } catch {
    throw new ServerError('DECRYPT_FAILED', 'open data did not decrypt with this session key')
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ServerError('DECRYPT_FAILED', 'open data is not a JSON object')
  if (!('watermark' in data) && options.watermark === 'if-present' && !carriesPhoneNumber(data)) return data as T & { watermark?: Watermark }
  const watermark = data.watermark
  if (!watermark || watermark.appid !== options.appId) throw new ServerError('WATERMARK_MISMATCH', 'watermark.appid is not this app')
  if (options.maxAgeSeconds !== undefined) checkAge(watermark.timestamp, options)
  return data as T & { watermark: Watermark }
}

/** A phone number is never taken without a watermark: WeChat always seals one into it. */
const carriesPhoneNumber = (data: object) => 'phoneNumber' in data || 'purePhoneNumber' in data

const DEFAULT_MAX_FUTURE_SECONDS = 60

function checkAgeOptions(options: DecryptOptions): void {
  for (const name of ['maxAgeSeconds', 'maxFutureSeconds'] as const) {
    const value = options[name]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new ServerError('BAD_INPUT', `${name} must be a non-negative finite number`)
    }
  }
}

function checkAge(timestamp: unknown, options: DecryptOptions): void {
  const now = (options.now ?? Date.now()) / 1000
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || now - timestamp > (options.maxAgeSeconds as number)) {
    throw new ServerError('EXPIRED', 'open data is older than maxAgeSeconds')
  }
  // A watermark from the future was not made by WeChat for this request (or this clock is wrong).
  if (timestamp - now > (options.maxFutureSeconds ?? DEFAULT_MAX_FUTURE_SECONDS)) {
    throw new ServerError('EXPIRED', 'open data is dated in the future')
  }
}
