/**
 * Every numeric option of createSessionTokens is checked when the object is made, against what
 * verify() and check() can honour: a companion never issues a token it then refuses, and never
 * builds a revocation bound its timer cannot keep. The clock it is given is read the same way.
 */
import fc from 'fast-check'
import { createSessionTokens, ServerError, MAX_SESSION_LIFETIME_SECONDS, type SessionTokenOptions } from '../../server'

const SECRET = 'a-session-secret-of-at-least-32-chars'
const APP = 'wx4f4bc4dec97d474b'
const NOW = 1_700_000_000_000

const configError = expect.objectContaining({ name: 'ServerError', code: 'CONFIG' })
const make = (options: Partial<SessionTokenOptions>) => () => createSessionTokens({ sessionSecret: SECRET, appId: APP, now: () => NOW, ...options })

describe('sessionLifetimeSeconds: at most what a token can carry', () => {
  it('is 10 years at most (a token then still verifies for 31,000 years of clock)', () => {
    expect(MAX_SESSION_LIFETIME_SECONDS).toBe(10 * 365 * 24 * 3600)
  })

  it.each([
    ['1e12', 1e12],
    ['2 ** 40', 2 ** 40],
    ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ['one second past the cap', 10 * 365 * 24 * 3600 + 1],
  ])('%s is a CONFIG error at creation (it was accepted, and every token it issued was refused)', (_name, lifetime) => {
    expect(make({ sessionLifetimeSeconds: lifetime })).toThrow(configError)
  })

  it.each([0, -1, 1.5, NaN, Infinity, '60' as unknown as number])('%p is a CONFIG error at creation', (lifetime) => {
    expect(make({ sessionLifetimeSeconds: lifetime })).toThrow(configError)
  })

  it('the longest lifetime allowed issues tokens that verify, and expire when they say', () => {
    let clock = NOW
    const tokens = createSessionTokens({ sessionSecret: SECRET, appId: APP, now: () => clock, sessionLifetimeSeconds: MAX_SESSION_LIFETIME_SECONDS })
    const { token, expiresIn } = tokens.issue('o-1')
    expect(expiresIn).toBe(MAX_SESSION_LIFETIME_SECONDS)
    clock += expiresIn * 1000 - 1
    expect(tokens.verify(token)).toBe('o-1')
    clock += 1
    expect(tokens.verify(token)).toBeUndefined()
  })
})

describe('hookTimeoutMs: a bound a timer can keep', () => {
  it.each([2 ** 31, 1e12, Number.MAX_SAFE_INTEGER])('%p is a CONFIG error (a timer fires at once past 2^31-1 ms, refusing every token)', (ms) => {
    expect(make({ hookTimeoutMs: ms })).toThrow(configError)
  })

  it('2^31-1 ms is accepted, and a slow hook within it is waited for', async () => {
    const tokens = make({ hookTimeoutMs: 2 ** 31 - 1, isRevoked: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30)) })()
    await expect(tokens.check(tokens.issue('o-1').token)).resolves.toMatchObject({ openid: 'o-1' })
  })
})

describe('the clock it is given', () => {
  it('now that is not a function is a CONFIG error at creation', () => {
    expect(make({ now: 5 as unknown as () => number })).toThrow(configError)
  })

  it.each([
    ['NaN', NaN],
    ['before 1970', -5000],
    ['past what a token can carry', 1e16],
    ['Infinity', Infinity],
  ])('a clock reading %s: issue() throws CONFIG rather than write a token verify() refuses', (_name, reading) => {
    const tokens = make({ now: () => reading })()
    expect(() => tokens.issue('o-1')).toThrow(configError)
  })

  it('a clock that reads NaN later does not make an expired token valid (fail-closed)', () => {
    let clock = NOW
    const tokens = createSessionTokens({ sessionSecret: SECRET, appId: APP, now: () => clock, sessionLifetimeSeconds: 60 })
    const { token } = tokens.issue('o-1')
    clock = NaN
    expect(tokens.verify(token)).toBeUndefined()
    expect(tokens.inspect(token)).toBeUndefined()
  })
})

describe('a property over options: issue() never produces a token verify() refuses', () => {
  const anyNumber = fc.oneof(
    fc.integer({ min: 1, max: MAX_SESSION_LIFETIME_SECONDS }),
    fc.integer({ min: -10, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(1e12, 2 ** 40, Number.MAX_SAFE_INTEGER, MAX_SESSION_LIFETIME_SECONDS, MAX_SESSION_LIFETIME_SECONDS + 1),
    fc.double(),
  )
  const clockReading = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double(), fc.constantFrom(0, 1e15, 1e16, -1))
  const options = fc.record(
    {
      sessionLifetimeSeconds: anyNumber,
      hookTimeoutMs: anyNumber,
      appId: fc.string({ minLength: 1, maxLength: 64 }),
      sessionSecret: fc.oneof(fc.string({ minLength: 32, maxLength: 80 }), fc.uint8Array({ minLength: 32, maxLength: 64 }).map((bytes) => Buffer.from(bytes))),
    },
    { requiredKeys: ['sessionSecret'] },
  )

  it('either creation refuses the options (CONFIG), or issue() refuses the clock (CONFIG), or the token verifies for exactly its lifetime', () => {
    fc.assert(
      fc.property(options, clockReading, fc.string({ minLength: 1, maxLength: 128 }), (given, reading, openid) => {
        let clock = reading
        let tokens
        try {
          tokens = createSessionTokens({ ...given, now: () => clock })
        } catch (error) {
          return error instanceof ServerError && error.code === 'CONFIG'
        }
        let issued
        try {
          issued = tokens.issue(openid)
        } catch (error) {
          return error instanceof ServerError && (error.code === 'CONFIG' || error.code === 'BAD_INPUT')
        }
        const session = tokens.inspect(issued.token)
        if (tokens.verify(issued.token) !== openid || !session) return false
        // It lives at least what expiresIn says, and verify() says so until then.
        clock = reading + issued.expiresIn * 1000 - 1
        if (session.expiresAt < reading + issued.expiresIn * 1000 || tokens.verify(issued.token) !== openid) return false
        clock = session.expiresAt
        return tokens.verify(issued.token) === undefined
      }),
      { numRuns: 500 },
    )
  })
})
