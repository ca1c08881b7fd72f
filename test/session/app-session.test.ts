/**
 * The app session: the token the app's server issued, where it persists, and what counts as refused.
 */
import { createAppSession, DEFAULT_STORAGE_KEY, defaultIsExpired } from '../../miniprogram_npm_src/app-session/app-session'
import { isGuardError } from '../../miniprogram_npm_src/errors/errors'
import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'

/** A phone's wx over its storage; `restart()` is the same phone after the mini program restarted (a new wx object). */
function phone(initial: Record<string, unknown> = {}, storage = new Map<string, unknown>(Object.entries(initial))) {
  const wx: WxLike = {
    login: () => undefined,
    checkSession: () => undefined,
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => void storage.set(key, value),
    removeStorageSync: (key) => void storage.delete(key),
  }
  return { wx, storage, restart: () => phone({}, storage).wx }
}

describe('the default reply contract', () => {
  it('reads a string token and a numeric expiresIn in seconds, and nothing else', () => {
    const now = 1_000_000
    const { wx, storage } = phone()
    const session = createAppSession(wx, {}, () => now)
    for (const reply of [{ ok: true, token: '' }, { ok: true, token: 42 }, null, 'token', { ok: true }]) {
      session.take(reply)
      expect(session.token()).toBeUndefined()
    }
    session.take({ ok: true, token: 't', expiresIn: 7200 })
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 't', expiresAt: now + 7200 * 1000 })
    session.take({ ok: true, token: 'u', expiresIn: 'later' })
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 'u' })
  })

  it('counts HTTP 401 and { ok: false, reason: "SESSION_EXPIRED" } as a refused token, and nothing else', () => {
    expect(defaultIsExpired({ statusCode: 401, data: '' })).toBe(true)
    expect(defaultIsExpired({ statusCode: 200, data: { ok: false, reason: 'SESSION_EXPIRED' } })).toBe(true)
    expect(defaultIsExpired({ statusCode: 200, data: { ok: false, reason: 'SESSION_KEY_MISSING' } })).toBe(false)
    expect(defaultIsExpired({ statusCode: 403, data: null })).toBe(false)
    expect(defaultIsExpired({ statusCode: 200, data: { ok: true } })).toBe(false)
  })
})

describe('AppSession', () => {
  it('takes the token a reply carries, sends it as a Bearer header and persists it', () => {
    const { wx, storage } = phone()
    const session = createAppSession(wx)
    expect(session.headers()).toEqual({})
    session.take({ ok: true, token: 'abc' })
    expect(session.token()).toBe('abc')
    expect(session.headers()).toEqual({ Authorization: 'Bearer abc' })
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 'abc' })
  })

  it('keeps the session across a restart: a new session on the same phone starts with the stored token', () => {
    const { wx, restart } = phone()
    createAppSession(wx).take({ token: 'kept' })
    expect(createAppSession(restart()).token()).toBe('kept')
  })

  it('ignores a reply without a token, and one whose fromReply throws', () => {
    const { wx } = phone()
    const session = createAppSession(wx, { fromReply: () => { throw new Error('broken') } })
    session.take({ token: 'x' })
    expect(session.token()).toBeUndefined()
    const plain = createAppSession(wx)
    plain.take({ token: 'a' })
    plain.take({ ok: true })
    expect(plain.token()).toBe('a')
  })

  it('uses the configured header, storage key and reply reader', () => {
    const { wx, storage } = phone()
    const session = createAppSession(wx, { header: 'X-Session', storageKey: 'mine', fromReply: (r: unknown) => ({ token: (r as { sid: string }).sid }) })
    session.take({ sid: 's1' })
    expect(session.headers()).toEqual({ 'X-Session': 'Bearer s1' })
    expect(storage.get('mine')).toEqual({ token: 's1' })
  })

  it('gives a token without a numeric lifetime no local expiry', () => {
    const { wx, storage } = phone()
    createAppSession(wx).take({ token: 't', expiresIn: 'soon' })
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 't' })
  })

  it('forgets a token once the lifetime the server gave runs out, across a restart too', () => {
    let now = 1_000_000
    const { wx, restart } = phone()
    const session = createAppSession(wx, {}, () => now)
    session.take({ token: 't', expiresIn: 60 })
    now += 59_999
    expect(session.token()).toBe('t')
    expect(createAppSession(restart(), {}, () => now).token()).toBe('t')
    now += 1
    expect(session.token()).toBeUndefined()
    expect(session.missing()).toBe(true)
    expect(createAppSession(restart(), {}, () => now).token()).toBeUndefined()
  })

  it('drops the token only if it is still the one a caller saw refused (by version, so a token issued twice counts twice); logout drops any', () => {
    const { wx, storage } = phone()
    const session = createAppSession(wx)
    session.take({ token: 'same' })
    const refused = session.version()
    session.take({ token: 'same' })
    session.drop(refused)
    expect(session.token()).toBe('same')
    session.drop(session.version())
    expect(session.token()).toBeUndefined()
    session.take({ token: 'any' })
    session.drop()
    expect(session.token()).toBeUndefined()
    expect(storage.has(DEFAULT_STORAGE_KEY)).toBe(false)
  })

  it('survives storage that throws or is missing', () => {
    const throwing: WxLike = {
      login: () => undefined,
      checkSession: () => undefined,
      getStorageSync: () => { throw new Error('storage broken') },
      setStorageSync: () => { throw new Error('quota') },
      removeStorageSync: () => { throw new Error('storage broken') },
    }
    const session = createAppSession(throwing)
    session.take({ token: 't' })
    expect(session.token()).toBe('t')
    session.drop()
    expect(session.token()).toBeUndefined()
    const bare = createAppSession({ login: () => undefined, checkSession: () => undefined })
    bare.take({ token: 'u' })
    expect(bare.token()).toBe('u')
  })

  it('ignores stored values that are not a session', () => {
    for (const stored of ['', 'token', 42, { token: '' }, { token: 7 }, null]) {
      const { wx } = phone({ [DEFAULT_STORAGE_KEY]: stored })
      expect(createAppSession(wx).token()).toBeUndefined()
    }
  })

  it('learns that a server issues no tokens from a login without one, and stops missing it', () => {
    const { wx } = phone()
    const session = createAppSession(wx)
    expect(session.missing()).toBe(true)
    session.take({ ok: true }, true)
    expect(session.missing()).toBe(false)
    session.take({ ok: true, token: 't' }, true)
    expect(session.token()).toBe('t')
    session.drop()
    expect(session.missing()).toBe(true)
  })

  it('is shared by every session on one wx under one storage key: a token one guard got is the other’s too', () => {
    const { wx } = phone()
    const first = createAppSession(wx)
    const second = createAppSession(wx, { header: 'X-Token' })
    const elsewhere = createAppSession(wx, { storageKey: 'other' })
    first.take({ token: 'shared' })
    expect(second.headers()).toEqual({ 'X-Token': 'Bearer shared' })
    expect(elsewhere.token()).toBeUndefined()
    second.drop(first.version())
    expect(first.token()).toBeUndefined()
  })

  it('with session: false reads, stores and misses no token', () => {
    const { wx, storage } = phone({ [DEFAULT_STORAGE_KEY]: { token: 'stored' } })
    const session = createAppSession(wx, false)
    expect(session.token()).toBeUndefined()
    session.take({ token: 't' }, true)
    expect(session.token()).toBeUndefined()
    expect(session.missing()).toBe(false)
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 'stored' })
  })

  it.each([
    ['header', { header: '' }],
    ['header', { header: 7 }],
    ['storageKey', { storageKey: {} }],
    ['fromReply', { fromReply: 'token' }],
    ['isExpired', { isExpired: true }],
    ['session', 'yes'],
  ])('refuses a bad %s with a CONFIG error', (_name, options) => {
    expect(() => createAppSession(phone().wx, options as never)).toThrow(expect.objectContaining({ code: 'CONFIG' }))
    try {
      createAppSession(phone().wx, options as never)
    } catch (error) {
      expect(isGuardError(error, 'CONFIG')).toBe(true)
    }
  })

  it('treats a throwing isExpired as not expired', () => {
    const session = createAppSession(phone().wx, { isExpired: () => { throw new Error('bad') } })
    expect(session.expired({ statusCode: 401, data: '' })).toBe(false)
  })
})
