import { normaliseBase64 } from './base64'
import { SessionGuardError } from '../errors/errors'
import { isObject } from './is-object'
import { OK } from './wx-api'

/** Open data sealed with the session_key (encryptedData + iv), before the guard adds code and flag. */
export interface OpenData {
  iv: string
  encryptedData: string
  phoneCode?: string
  cloudID?: string
  /** `openData(fetch, { kind })`'s kind, sent as `dataKind`. */
  dataKind?: string
}

/**
 * A phone-number detail with nothing sealed: a phone code (`e.detail.code`, getPhoneNumber from
 * base library 2.21.2, and getRealtimePhoneNumber), a cloudID, or both. The server redeems them
 * without any session_key.
 */
export interface PhoneCodeData {
  phoneCode?: string
  cloudID?: string
}

/** How WeChat said no. `errno` is WeChat's, when it gave one. */
export type DetailFailure =
  | { kind: 'denied'; errMsg: string; errno?: number }
  | { kind: 'no-quota'; errMsg: string; errno: number }
  | { kind: 'privacy-not-declared'; errMsg: string; errno: number }
  | { kind: 'wx-fail'; errMsg: string; errno?: number }

export type ParsedDetail =
  | { kind: 'data'; data: OpenData }
  | { kind: 'phone-code'; data: PhoneCodeData }
  | DetailFailure
  | { kind: 'invalid'; error: SessionGuardError }

/** errno WeChat sets when the app's paid phone-number quota is used up. */
export const NO_QUOTA_ERRNO = 1400001
/** The user declined the privacy agreement (base library ≥ 2.32.3 with the privacy check on). */
export const PRIVACY_DENIED_ERRNO = 104
/** The app's privacy declaration lacks this API's scope: a configuration error, not the user's choice. */
export const PRIVACY_NOT_DECLARED_ERRNO = 112

// iOS and the devtools say "fail user deny", Android "fail:user deny"; some
// versions add "auth deny" or "cancel" for a closed dialog.
const DENY = /fail[\s:]*(user |auth )?(deny|cancel)/i
// Devices are seen to send the message without the errno, or the errno with another message: match either.
const PRIVACY_DENIED = /privacy permission is not authorized/i
const PRIVACY_NOT_DECLARED = /scope is not declared in the privacy agreement/i

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

function invalid(message: string): ParsedDetail {
  return { kind: 'invalid', error: new SessionGuardError('INVALID_DETAIL', message) }
}

/** WeChat's errno as a number, or undefined when it gave none (0 means none too). */
function errnoOf(d: Record<string, unknown>): number | undefined {
  const raw = d.errno
  if (typeof raw !== 'number' && typeof raw !== 'string') return undefined
  const errno = Number(raw)
  return raw !== '' && isFinite(errno) && errno !== 0 ? errno : undefined
}

function withErrno<T extends object>(failure: T, errno: number | undefined): T & { errno?: number } {
  return errno === undefined ? failure : { ...failure, errno }
}

/** How WeChat failed, or undefined when the detail reports success. */
function failureOf(errMsg: string, errno: number | undefined): DetailFailure | undefined {
  // Every tap's case first: WeChat's ok, with no errno, needs none of the patterns below.
  if (errno === undefined && OK.test(errMsg)) return undefined
  if (errno === NO_QUOTA_ERRNO) return { kind: 'no-quota', errMsg, errno }
  if (errno === PRIVACY_DENIED_ERRNO || PRIVACY_DENIED.test(errMsg)) return { kind: 'denied', errMsg, errno: PRIVACY_DENIED_ERRNO }
  if (errno === PRIVACY_NOT_DECLARED_ERRNO || PRIVACY_NOT_DECLARED.test(errMsg)) {
    return { kind: 'privacy-not-declared', errMsg, errno: PRIVACY_NOT_DECLARED_ERRNO }
  }
  if (DENY.test(errMsg)) return withErrno({ kind: 'denied' as const, errMsg }, errno)
  if ((errMsg && !OK.test(errMsg)) || errno !== undefined) return withErrno({ kind: 'wx-fail' as const, errMsg }, errno)
  return undefined
}

/** The sealed part, repaired and checked; undefined fields when the detail has none. */
function sealedPart(d: Record<string, unknown>): ParsedDetail | { iv: string; encryptedData: string } | undefined {
  if (d.encryptedData === undefined && d.iv === undefined) return undefined
  const encryptedData = nonEmptyString(d.encryptedData) ? normaliseBase64(d.encryptedData) : undefined
  if (!encryptedData) return invalid('detail.encryptedData must be a non-empty base64 string')
  const iv = nonEmptyString(d.iv) ? normaliseBase64(d.iv) : undefined
  if (!iv) return invalid('detail.iv must be a non-empty base64 string')
  return { iv, encryptedData }
}

/**
 * Reads a getPhoneNumber / getRealtimePhoneNumber (or getWeRunData-style) result without trusting its
 * shape: sealed data (with a phone code and cloudID when given), a phone code or cloudID alone, or
 * WeChat's refusal with its errno.
 */
export function parseDetail(detail: unknown): ParsedDetail {
  if (!isObject(detail)) return invalid('expected the event detail object (e.detail)')
  const d = detail as Record<string, unknown>
  const failure = failureOf(typeof d.errMsg === 'string' ? d.errMsg : '', errnoOf(d))
  if (failure) return failure
  const sealed = sealedPart(d)
  if (sealed && 'kind' in sealed) return sealed
  // The sealed part is a fresh object: the phone code and cloudID join it, with no copy on every tap's path.
  const data: PhoneCodeData = (sealed as OpenData | undefined) || {}
  if (nonEmptyString(d.code)) data.phoneCode = d.code
  if (nonEmptyString(d.cloudID)) data.cloudID = d.cloudID
  if (sealed) return { kind: 'data', data: sealed as OpenData }
  if (data.phoneCode || data.cloudID) return { kind: 'phone-code', data }
  return invalid('detail carries no encryptedData + iv, no code and no cloudID')
}
