/**
 * The app session: the token the app's server issued, where it persists, and what counts as refused.
 */
import { createAppSession, DEFAULT_STORAGE_KEY, defaultFromReply, defaultIsExpired } from '../../miniprogram_npm_src/app-session'
import { isGuardError } from '../../miniprogram_npm_src/errors'
import type { WxLike } from '../../miniprogram_npm_src/wx-api'

function phone(initial: Record<string, unknown> = {}) {
  const storage = new Map<string, unknown>(Object.entries(initial))
  const wx: WxLike = {
    login: () => undefined,
    checkSession: () => undefined,
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => void storage.set(key, value),
    removeStorageSync: (key) => void storage.delete(key),
  }
  return { wx, storage }
}

describe('the default reply contract', () => {
  it('reads a string token and a numeric expiresIn in seconds, and nothing else', () => {
    expect(defaultFromReply({ ok: true, token: 't', expiresIn: 7200 })).toEqual({ token: 't', expiresIn: 7200 })
    expect(defaultFromReply({ ok: true, token: 't', expiresIn: '7200' })?.token).toBe('t')
    expect(defaultFromReply({ ok: true, token: '' })).toBeUndefined()
    expect(defaultFromReply({ ok: true, token: 42 })).toBeUndefined()
    expect(defaultFromReply(null)).toBeUndefined()
    expect(defaultFromReply('token')).toBeUndefined()
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
    expect(session.take({ ok: true, token: 'abc' })).toBe(true)
    expect(session.token()).toBe('abc')
    expect(session.headers()).toEqual({ Authorization: 'Bearer abc' })
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 'abc' })
  })

  it('keeps the session across a restart: a new session on the same phone starts with the stored token', () => {
    const { wx } = phone()
    createAppSession(wx).take({ token: 'kept' })
    expect(createAppSession(wx).token()).toBe('kept')
  })

  it('ignores a reply without a token, and one whose fromReply throws', () => {
    const { wx } = phone()
    const session = createAppSession(wx, { fromReply: () => { throw new Error('broken') } })
    expect(session.take({ token: 'x' })).toBe(false)
    expect(session.token()).toBeUndefined()
    const plain = createAppSession(wx)
    plain.take({ token: 'a' })
    expect(plain.take({ ok: true })).toBe(false)
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
    createAppSession(wx).take({ token: 't', expiresIn: '60' })
    expect(storage.get(DEFAULT_STORAGE_KEY)).toEqual({ token: 't' })
  })

  it('forgets a token once the lifetime the server gave runs out, across a restart too', () => {
    let now = 1_000_000
    const { wx } = phone()
    const session = createAppSession(wx, {}, () => now)
    session.take({ token: 't', expiresIn: 60 })
    now += 59_999
    expect(session.token()).toBe('t')
    expect(createAppSession(wx, {}, () => now).token()).toBe('t')
    now += 1
    expect(session.token()).toBeUndefined()
    expect(session.missing()).toBe(true)
    expect(createAppSession(wx, {}, () => now).token()).toBeUndefined()
  })

  it('drops the token only if it is still the one a caller saw refused', () => {
    const { wx, storage } = phone()
    const session = createAppSession(wx)
    session.take({ token: 'old' })
    const seen = session.generation
    session.take({ token: 'new' })
    session.drop(seen)
    expect(session.token()).toBe('new')
    session.drop(session.generation)
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
    expect(session.take({ token: 't' })).toBe(true)
    expect(session.token()).toBe('t')
    session.drop()
    expect(session.token()).toBeUndefined()
    const bare = createAppSession({ login: () => undefined, checkSession: () => undefined })
    expect(bare.take({ token: 'u' })).toBe(true)
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
    session.loggedIn({ ok: true })
    expect(session.missing()).toBe(false)
    session.loggedIn({ ok: true, token: 't' })
    expect(session.tokenless).toBe(false)
    expect(session.token()).toBe('t')
  })

  it('with session: false takes no token and never misses one', () => {
    const { wx, storage } = phone({ [DEFAULT_STORAGE_KEY]: { token: 'stored' } })
    const session = createAppSession(wx, false)
    expect(session.token()).toBeUndefined()
    session.loggedIn({ token: 't' })
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
