import { SessionGuardError } from './errors'

/** The open data WeChat hands over, before the guard adds code and flag. */
export interface OpenData {
  iv: string
  encryptedData: string
  phoneCode?: string
  cloudID?: string
}

export type ParsedDetail =
  | { kind: 'data'; data: OpenData }
  | { kind: 'denied'; errMsg: string }
  | { kind: 'no-quota'; errMsg: string }
  | { kind: 'wx-fail'; errMsg: string }
  | { kind: 'invalid'; error: SessionGuardError }

/** errno WeChat sets when the app's paid phone-number quota is used up. */
export const NO_QUOTA_ERRNO = 1400001

// iOS and the devtools say "fail user deny", Android "fail:user deny"; some
// versions add "auth deny" or "cancel" for a closed dialog.
const DENY = /fail[\s:]*(user |auth )?(deny|cancel)/i
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

function invalid(message: string): ParsedDetail {
  return { kind: 'invalid', error: new SessionGuardError('INVALID_DETAIL', message) }
}

/** Reads a getPhoneNumber (or getWeRunData-style) result without trusting its shape. */
export function parseDetail(detail: unknown): ParsedDetail {
  if (!detail || typeof detail !== 'object') return invalid('expected the event detail object (e.detail)')
  const d = detail as Record<string, unknown>
  const errMsg = typeof d.errMsg === 'string' ? d.errMsg : ''
  if (Number(d.errno) === NO_QUOTA_ERRNO) return { kind: 'no-quota', errMsg }
  if (DENY.test(errMsg)) return { kind: 'denied', errMsg }
  if (errMsg && !/:ok$/.test(errMsg)) return { kind: 'wx-fail', errMsg }
  if (!nonEmptyString(d.encryptedData) || !BASE64.test(d.encryptedData)) {
    return invalid('detail.encryptedData must be a non-empty base64 string')
  }
  if (!nonEmptyString(d.iv) || !BASE64.test(d.iv)) return invalid('detail.iv must be a non-empty base64 string')
  const data: OpenData = { iv: d.iv, encryptedData: d.encryptedData }
  if (nonEmptyString(d.code)) data.phoneCode = d.code
  if (nonEmptyString(d.cloudID)) data.cloudID = d.cloudID
  return { kind: 'data', data }
}
