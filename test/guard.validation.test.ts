/**
 * Every entry point checks what it is given, once and strictly: a number must be a finite number in
 * range (a numeric string is an error, never coerced), anything else of the wrong kind is a typed
 * CONFIG (options) or INVALID_ARGUMENT (call arguments) error, and nothing of it reaches shared state.
 */
import { createSessionGuard, isGuardError, type SessionGuardOptions } from '../miniprogram_npm_src'
import { World, timed } from '../simulator/world/world'
import { LATENCIES } from '../simulator/scenarios/side-by-side'
import { POLICY, setup, settle } from './support/model-guard'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

const NUMBERS_THAT_ARE_NOT: [string, unknown][] = [
  ['a numeric string', '3000'],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['zero', 0],
  ['a negative number', -1],
  ['more than 2^31-1', 2 ** 31],
  ['null', null],
  ['an object', {}],
]

describe('createSessionGuard(options)', () => {
  const world = new World(POLICY, timed(LATENCIES), true)
  const base = { wx: world.wx, send: world.network.send }

  it.each([
    ...NUMBERS_THAT_ARE_NOT.map(([what, value]): [string, object] => [`timeout: ${what}`, { timeout: value }]),
    ...NUMBERS_THAT_ARE_NOT.map(([what, value]): [string, object] => [`holdMs: ${what}`, { holdMs: value }]),
    ['send: a string', { send: 'https://s' }],
    ['sendLogin: a number', { sendLogin: 1 }],
    ['classify: an object', { classify: {} }],
    ['onEvent: true', { onEvent: true }],
    ['url: empty', { url: '' }],
    ['loginUrl: a number', { loginUrl: 7 }],
    ['fields: a string', { fields: 'code' }],
    ['fields: a field renamed to a number', { fields: { code: 5 } }],
    ['clock: without setTimeout', { clock: { now: () => 0, clearTimeout: () => undefined } }],
    ['clock: a number', { clock: 0 }],
    ['session: a string', { session: 'on' }],
    ['session.header: with a space', { session: { header: 'X Token' } }],
    ['session.header: with CR/LF', { session: { header: 'X-Token\r\nX-Evil' } }],
    ['session.storageKey: empty', { session: { storageKey: '' } }],
  ])('%s is a CONFIG error', (_what, extra) => {
    const error = thrown(() => createSessionGuard({ ...base, ...extra } as SessionGuardOptions))
    expect(isGuardError(error, 'CONFIG')).toBe(true)
  })

  it.each([[null], ['options'], [7]])('options %p is a CONFIG error', (options) => {
    expect(isGuardError(thrown(() => createSessionGuard(options as never)), 'CONFIG')).toBe(true)
  })

  it('accepts the edges: 1 ms and 2^31-1 ms', () => {
    expect(() => createSessionGuard({ ...base, timeout: 1, holdMs: 2 ** 31 - 1 })).not.toThrow()
  })
})

describe('guard.holdLogins(maxMs)', () => {
  it.each(NUMBERS_THAT_ARE_NOT)('%s is INVALID_ARGUMENT, and takes no hold', (_what, value) => {
    const { guard } = setup(true)
    expect(isGuardError(thrown(() => guard.holdLogins(value as number)), 'INVALID_ARGUMENT')).toBe(true)
    expect(guard.inspect().holds).toBe(0)
  })

  it('after a refused argument, logins still go: prepare() logs in when it must', async () => {
    const { world, guard } = setup(false)
    thrown(() => guard.holdLogins('3000' as never))
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
  })
})

describe('guard.openData(fetch, send?) and guard.getPhoneNumber(detail)', () => {
  it.each([[undefined], ['fetch'], [{}]])('openData(%p) answers INVALID_ARGUMENT and calls nothing', async (fetch) => {
    const { world, guard } = setup(true)
    expect(await settle(world, guard.openData(fetch as never))).toMatchObject({ status: 'failed', reason: 'INVALID_ARGUMENT' })
    expect(world.wechat.calls).toEqual([])
  })

  it.each([[null], ['detail'], [{ encryptedData: 5, iv: 'aXY=' }], [{ code: 7 }]])('getPhoneNumber(%p) answers INVALID_DETAIL and calls nothing', async (detail) => {
    const { world, guard } = setup(true)
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'failed', reason: 'INVALID_DETAIL' })
    expect(world.wechat.calls).toEqual([])
  })
})
