/**
 * createSessionGuard({ wx: Taro }) / ({ wx: uni }): an API that returns a promise and also calls the
 * callbacks (Taro's do, and reject on failure). The guard listens to the callbacks; each call settles
 * once, and the promise it did not ask for never becomes an unhandled rejection (Node would exit with
 * ERR_UNHANDLED_REJECTION; a mini program logs an error).
 */
import { createSessionGuard } from '../../miniprogram_npm_src'
import type { WxLike } from '../../miniprogram_npm_src'
import type { Reply } from '../../simulator/world/thread-server'
import { setup, settle } from '../support/model-guard'
import { WINDOW_MS } from '../../miniprogram_npm_src/wx-session/wx-session'

type Callbacks = { success?: (res: unknown) => void; fail?: (err: unknown) => void; complete?: (res: unknown) => void }

/** Taro's way: each API calls the callbacks it was given and returns a promise that rejects on failure. */
function taroLike(native: WxLike): WxLike {
  const wrap =
    (call: (options: Callbacks) => unknown) =>
    (options: Callbacks): Promise<unknown> =>
      new Promise((resolve, reject) => {
        call({
          ...options,
          success: (res) => {
            options.success?.(res)
            resolve(res)
          },
          fail: (err) => {
            options.fail?.(err)
            reject(err)
          },
        })
      })
  return {
    login: wrap(native.login as (o: Callbacks) => unknown),
    checkSession: wrap(native.checkSession as (o: Callbacks) => unknown),
    request: wrap((options) => setTimeout(() => options.fail?.({ errMsg: 'request:fail timeout' }), 5)),
  }
}

let unhandled: unknown[] = []
const record = (reason: unknown) => unhandled.push(reason)
beforeEach(() => {
  unhandled = []
  process.on('unhandledRejection', record)
})
afterEach(() => {
  process.off('unhandledRejection', record)
})

/** Unhandled rejections are reported after the microtasks of a macrotask: let a few pass. */
const afterTurns = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('an injected API that returns promises and calls callbacks (Taro)', () => {
  it('a failing checkSession: the guard logs in, and the rejected promise goes unnoticed', async () => {
    const { world, guard } = setup(true, (w) => ({ wx: taroLike(w.wx) }))
    world.wechat.expire()
    const { detail } = world.wechat.consent('a')
    // Sealed with the expired key, which the login replaced: the user is asked to tap again.
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'retry', reason: 'DECRYPT_FAILED' })
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['checkSession', 'login'])
    await afterTurns()
    expect(unhandled).toEqual([])
  })

  it('a failing login: LOGIN_FAILED, once, and no unhandled rejection', async () => {
    const { world, guard } = setup(true, (w) => ({ wx: taroLike(w.wx) }))
    world.wechat.expire()
    world.wechat.failNextLogins = 1
    expect(await settle(world, guard.prepare())).toMatchObject({ status: 'failed', reason: 'LOGIN_FAILED' })
    await afterTurns()
    expect(unhandled).toEqual([])
  })

  it('a failing request: rejects with the fail result, once, and no unhandled rejection', async () => {
    const { world } = setup(true)
    const guard = createSessionGuard<Reply>({ wx: taroLike(world.wx), url: 'https://example.com/phone', timeout: 1000 })
    await expect(guard.request({ url: 'https://example.com/api/orders' })).rejects.toEqual({ errMsg: 'request:fail timeout' })
    await afterTurns()
    expect(unhandled).toEqual([])
  })

  it('an API that answers twice (callback, then again) settles the call once: one code, sent once', async () => {
    const { world, guard } = setup(true, (w) => ({
      wx: {
        ...w.wx,
        login: (options: Callbacks) =>
          w.wx.login({
            success: (res) => {
              options.success?.(res)
              options.success?.({ code: 'a-second-code', errMsg: 'login:ok' })
            },
            fail: options.fail,
          }),
      },
    }))
    world.wechat.expire()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    expect(world.network.sent.map((r) => r.payload.code)).toEqual([...world.wechat.codes.keys()])
  })
})

/** A promisified API that answers by its promise only and never calls the callbacks it is given. */
function promiseOnly(native: WxLike): WxLike {
  const wrap =
    (call: (options: Callbacks) => unknown) =>
    (): Promise<unknown> =>
      new Promise((resolve, reject) => call({ success: resolve, fail: reject }))
  return { ...native, login: wrap(native.login as (o: Callbacks) => unknown), checkSession: wrap(native.checkSession as (o: Callbacks) => unknown) }
}

describe('an injected API that answers by its promise only', () => {
  it('is read by its promise: login and checkSession answer, and nothing waits for a timeout', async () => {
    const { world, guard } = setup(false, (w) => ({ wx: promiseOnly(w.wx) }))
    world.wechat.expire()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    // Past the rate window, the login's proof of the session no longer stands in for checkSession.
    await settle(world, new Promise<void>((resolve) => world.clock.setTimeout(() => resolve(), WINDOW_MS + 1)))
    const { detail } = world.wechat.consent('b')
    expect(await settle(world, guard.getPhoneNumber(detail))).toMatchObject({ status: 'ok' })
    expect(world.wechat.calls.map((c) => c.api)).toEqual(['login', 'checkSession'])
    await afterTurns()
    expect(unhandled).toEqual([])
  })
})
