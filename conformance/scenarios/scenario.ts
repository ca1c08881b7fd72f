import type { BackendClient, Seen } from '../client/backend-client'
import { describe as describeSeen } from '../client/backend-client'
import type { ClientOptions } from '../client/client-options'
import type { FakeWeChat } from '../wechat/fake-wechat'
import { sealWithoutPlus, type Sealed } from '../wechat/seal'

export interface KitSettings {
  appId: string
  /** The backend's token lifetime, seconds, when it was started with a short one. */
  tokenLifetimeSeconds?: number
  /** A token the backend issued that has expired since. */
  expiredToken?: string
}

export interface Context {
  wechat: FakeWeChat
  backend: BackendClient
  client: ClientOptions
  settings: KitSettings
  /** Notes a SHOULD the backend does not follow: a warning, a failure under --strict. */
  warn(warning: Warning): void
}

/** A SHOULD of docs/protocol.md not followed: what was seen, the rule, the fix. */
export interface Warning {
  saw: string
  rule: string
  fix: string
}

export type Verdict = { status: 'pass'; saw: string } | { status: 'fail'; saw: string; rule: string; fix: string } | { status: 'skip'; saw: string; rule: string; fix: string }

export interface Scenario {
  id: string
  title: string
  /** The rule a failure breaks, unless a check names another. */
  rule: string
  fix: string
  /** Runs before every scenario, for those that must wait (an expiring token). */
  prepare?(ctx: Context): Promise<unknown>
  run(ctx: Context, prepared: unknown): Promise<string>
}

/** A check that did not hold: the scenario fails with what was seen, and the rule it breaks. */
export class Broken extends Error {
  constructor(
    readonly saw: string,
    readonly rule?: string,
    readonly fix?: string,
  ) {
    super(saw)
  }
}

/** The scenario cannot run against this backend as it was started: not a pass. */
export class Skipped extends Error {
  constructor(
    readonly saw: string,
    readonly fix: string,
  ) {
    super(saw)
  }
}

export function check(condition: unknown, saw: string, rule?: string, fix?: string): asserts condition {
  if (!condition) throw new Broken(saw, rule, fix)
}

/** A SHOULD-level check: when it does not hold the scenario goes on, and reports a warning. */
export function should(ctx: Context, condition: unknown, saw: string, rule: string, fix: string): void {
  if (!condition) ctx.warn({ saw, rule, fix })
}

export const show = describeSeen

export interface PhoneData {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
  watermark: { appid: string; timestamp: number }
}

let numbers = 0

/** A phone number no other scenario uses, so a reply's data says which sealed payload it came from. */
export function uniquePhoneNumber(): string {
  numbers++
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(numbers).padStart(4, '0')}`
}

export function phoneData(appId: string, phoneNumber = uniquePhoneNumber()): PhoneData {
  return { phoneNumber, purePhoneNumber: phoneNumber, countryCode: '86', watermark: { appid: appId, timestamp: Math.floor(Date.now() / 1000) } }
}

export function sealedPhone(sessionKey: string, appId: string, sealer: (key: string, data: object) => Sealed = sealWithoutPlus): { sealed: Sealed; phoneNumber: string } {
  const data = phoneData(appId)
  return { sealed: sealer(sessionKey, data), phoneNumber: data.phoneNumber }
}

/** The phone number an ok reply carries, wherever a --config dialect put it (data, or data.data). */
export function phoneNumberIn(seen: Seen): string | undefined {
  const body = seen.body as { data?: unknown } | undefined
  for (const candidate of [body?.data, (body?.data as { data?: unknown } | undefined)?.data, body]) {
    const number = candidate && typeof candidate === 'object' ? (candidate as { phoneNumber?: unknown }).phoneNumber : undefined
    if (typeof number === 'string') return number
  }
  return undefined
}

/** Logs a new user in through the login route: the identity every other scenario starts from. */
export async function loggedIn(ctx: Context): Promise<{ openid: string; sessionKey: string; token: string; code: string }> {
  const openid = ctx.wechat.newUser()
  const { code, sessionKey } = ctx.wechat.issueCode(openid)
  const seen = await ctx.backend.login(code)
  check(seen.kind === 'ok', `login: ${show(seen)}`, 'P-LOGIN-1', 'answer the login route { ok: true, token, expiresIn } once the code is exchanged and its key stored')
  check(seen.token, `login: ${show(seen)} carries no token`, 'P-ID-1', 'put the session token beside ok: { ok: true, token, expiresIn }')
  return { openid, sessionKey, code, token: seen.token }
}

/** The one-line view of an ok reply's data check. */
export function expectPhone(seen: Seen, phoneNumber: string, what: string, rule: string, fix: string): void {
  check(seen.kind === 'ok', `${what}: ${show(seen)}`, rule, fix)
  const got = phoneNumberIn(seen)
  check(got === phoneNumber, `${what}: ${show(seen)}, expected phoneNumber ${phoneNumber}`, 'P-DATA-4', 'answer the decrypted data as { ok: true, data: <plaintext without watermark> }')
}
