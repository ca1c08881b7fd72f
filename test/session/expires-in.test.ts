/**
 * A reply's `expiresIn` as the guard reads it (docs/api.md, "the session token"): a finite number of
 * seconds above 0 counts, capped at 10 years; anything else (Infinity, NaN, 0, negative, not a
 * number) sets no local expiry. Either way a token the server still accepts survives a relaunch:
 * WeChat's storage keeps JSON, where an Infinity expiry became null and the token was thrown away.
 */
import fc from 'fast-check'
import { createAppSession, DEFAULT_STORAGE_KEY, MAX_EXPIRES_IN_SECONDS } from '../../miniprogram_npm_src/app-session/app-session'
import type { GuardEvent } from '../../miniprogram_npm_src/wire/events'
import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'

/** A phone whose storage, like WeChat's, keeps what JSON keeps; `relaunch()` is a new wx over the same storage. */
function phone(storage = new Map<string, string>()) {
  const wx: WxLike = {
    login: () => undefined,
    checkSession: () => undefined,
    getStorageSync: (key) => (storage.has(key) ? JSON.parse(storage.get(key) as string) : ''),
    setStorageSync: (key, value) => void storage.set(key, JSON.stringify(value)),
    removeStorageSync: (key) => void storage.delete(key),
  }
  return { wx, storage, relaunch: () => phone(storage).wx }
}

const NOW = 1_765_000_000_000
const TEN_YEARS_S = 10 * 365 * 24 * 3600

it('caps at 10 years, the companion’s own longest session lifetime', () => {
  expect(MAX_EXPIRES_IN_SECONDS).toBe(TEN_YEARS_S)
})

describe('a huge expiresIn is capped at 10 years', () => {
  it.each([1e306, Number.MAX_VALUE, 2 ** 53, TEN_YEARS_S + 1])('%p: the token survives a relaunch, and lasts 10 years', (expiresIn) => {
    let now = NOW
    const { wx, relaunch } = phone()
    const bad: GuardEvent[] = []
    createAppSession(wx, {}, () => now).take({ ok: true, token: 't', expiresIn })
    const afterRelaunch = createAppSession(relaunch(), {}, () => now, (event) => bad.push(event))
    expect(afterRelaunch.token()).toBe('t')
    expect(bad).toEqual([])
    now += TEN_YEARS_S * 1000 - 1
    expect(createAppSession(relaunch(), {}, () => now).token()).toBe('t')
    now += 1
    expect(createAppSession(relaunch(), {}, () => now).token()).toBeUndefined()
  })
})

describe('an expiresIn that is no duration is ignored: no local expiry, the server’s 401 decides', () => {
  it.each([Infinity, -Infinity, NaN, 0, -60, '3600', null, true, {}, [60]])('%p', (expiresIn) => {
    const { wx, storage, relaunch } = phone()
    createAppSession(wx, {}, () => NOW).take({ ok: true, token: 't', expiresIn })
    expect(JSON.parse(storage.get(DEFAULT_STORAGE_KEY) as string)).toEqual({ token: 't' })
    expect(createAppSession(relaunch(), {}, () => NOW + 1e12).token()).toBe('t')
  })
})

it('for any expiresIn and clock: the token survives a relaunch exactly as long as it is valid', () => {
  const expiresIn = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e306, Infinity, NaN, -0, 5e-324), fc.anything())
  const clock = fc.oneof(fc.integer({ min: 0, max: 8.64e15 }), fc.double({ min: 0, max: 8.64e15, noNaN: true }))
  fc.assert(
    fc.property(expiresIn, clock, fc.integer({ min: 0, max: 2 * TEN_YEARS_S * 1000 }), (given, start, later) => {
      const { wx, relaunch } = phone()
      createAppSession(wx, {}, () => start).take({ ok: true, token: 't', expiresIn: given })
      const lasts = typeof given === 'number' && given > 0 && given < Infinity ? Math.min(given, TEN_YEARS_S) * 1000 : Infinity
      const alive = start + later < start + lasts
      const seen = createAppSession(relaunch(), {}, () => start + later).token()
      return alive ? seen === 't' : seen === undefined
    }),
    { numRuns: 1000 },
  )
})
