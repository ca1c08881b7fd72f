/**
 * The wire contract between the guard and the developer's server: the seed
 * thread's payload plus the new-style phone code, and the reply shapes. The
 * server companion imports these same types.
 */
import { isObject } from './is-object'

/** '1': the client believes the server's stored key is current; '0': `code` is a fresh login code. */
export type SessionKeyValidFlag = '0' | '1'

export interface OpenDataPayload {
  /** A wx.login code with flag '0'; '' with flag '1'. */
  code: string
  sessionKeyValidFlag: SessionKeyValidFlag
  /** Absent when WeChat sealed nothing (code-only, real-time and cloudID-only phone details). */
  iv?: string
  encryptedData?: string
  /** getPhoneNumber's / getRealtimePhoneNumber's `e.detail.code`: a phone code, never a login code. */
  phoneCode?: string
  cloudID?: string
  /** What the sealed data is, when the app said (`openData(fetch, { kind })`): a server opens watermark-less kinds by it. */
  dataKind?: string
}

/**
 * Open data WeChat seals without a watermark, as `openData(fetch, { kind })` names it: 'chat-tool'
 * (wx.getChatToolInfo), 'group-enter' (wx.getGroupEnterInfo). Other short lowercase names pass through.
 */
export type OpenDataKind = 'chat-tool' | 'group-enter' | (string & {})

/** Why the server could not serve a payload, in the default reply contract. */
export type ServerFailureReason =
  | 'SESSION_KEY_MISSING'
  | 'DECRYPT_FAILED'
  | 'CODE_REJECTED'
  | 'SESSION_EXPIRED'
  | 'WECHAT_UNAVAILABLE'
  | 'STORE_UNAVAILABLE'
  | 'BAD_INPUT'
  | 'PHONE_CODE_REJECTED'
  | (string & {})

/** Beside `ok` on every reply that exchanged a login code, when the server issues session tokens. */
export interface SessionFields {
  token: string
  /** Seconds. */
  expiresIn: number
}

/** A phone number reply's `data`, the same whether it was decrypted or redeemed from a phone code. */
export interface PhoneNumberData {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
}

export type DefaultReply<T = unknown> =
  | ({ ok: true } & T)
  | { ok: false; reason: ServerFailureReason; [extra: string]: unknown }

/** Which way the companion reached the data: the sealed data, the phone code, or the cloudID. */
export type DataSource = 'decrypt' | 'phone-code' | 'cloud-id'

/**
 * The companion's reply to a phone-number payload, as `createSessionGuard<PhoneNumberReply>()` sees it:
 * `{ ok: true, data, source }` (with `token`/`expiresIn` after a code exchange) or `{ ok: false, reason }`.
 */
export type PhoneNumberReply = DefaultReply<{ data: PhoneNumberData; source: DataSource } & Partial<SessionFields>>

/** What a reply means to the guard, whatever shape the server uses. */
export type ReplyKind = 'ok' | 'session-key-missing' | 'decrypt-failed' | 'code-rejected' | 'failed'

export const SERVER_REASONS = {
  SESSION_KEY_MISSING: 'SESSION_KEY_MISSING',
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  CODE_REJECTED: 'CODE_REJECTED',
} as const

export function classifyDefaultReply(reply: unknown): ReplyKind {
  if (!isObject(reply)) return 'failed'
  const { ok, reason } = reply as { ok?: unknown; reason?: unknown }
  if (ok === true) return 'ok'
  if (reason === SERVER_REASONS.SESSION_KEY_MISSING) return 'session-key-missing'
  if (reason === SERVER_REASONS.DECRYPT_FAILED) return 'decrypt-failed'
  if (reason === SERVER_REASONS.CODE_REJECTED) return 'code-rejected'
  return 'failed'
}

/** Field names to use on the wire, for servers that already speak another dialect. */
export type FieldNames = { [K in keyof OpenDataPayload]?: string }

export function renameFields(payload: OpenDataPayload, fields: FieldNames | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(payload) as (keyof OpenDataPayload)[]) {
    const value = payload[key]
    if (value === undefined) continue
    out[(fields && fields[key]) || key] = value
  }
  return out
}
