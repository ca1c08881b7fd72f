/**
 * The load bench's simulated users, shared by the load generator, the fake WeChat and the bare server:
 * user n always has the same session key, so data sealed once keeps opening after every login.
 */
import { createHash } from 'node:crypto'
import { sealOpenData } from '../simulator/model/open-data-crypto'
import { APP_ID } from '../simulator/model/wechat'

export const BENCH_APP_ID = APP_ID
export const BENCH_APP_SECRET = 'bench-app-secret'
export const BENCH_SESSION_SECRET = 'bench-session-secret-of-at-least-32-characters'

export const openidOf = (user: number) => `o-bench-user-${user}`

export function sessionKeyOf(user: number): string {
  return createHash('sha256').update(`bench-user-${user}`).digest().subarray(0, 16).toString('base64')
}

/** What a login code for user n looks like; `userOfCode` reads it back (undefined for anything else). */
export const codeFor = (user: number, seq: number) => `bench-${user}-${seq}`
export function userOfCode(code: string): number | undefined {
  const match = /^bench-(\d{1,6})-\d{1,9}$/.exec(code)
  return match ? Number(match[1]) : undefined
}

/** A phone number sealed with user n's key, about the size WeChat sends. */
export function sealedFor(user: number, iv: string): { iv: string; encryptedData: string } {
  const data = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86', watermark: { appid: BENCH_APP_ID, timestamp: Math.floor(Date.now() / 1000) } }
  return { iv, encryptedData: sealOpenData(sessionKeyOf(user), iv, data) }
}
