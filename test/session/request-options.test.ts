/**
 * guard.request's options, as a caller passes them: checked strictly before anything is armed (a
 * bad one is an INVALID_ARGUMENT and leaves the guard as it was), and wx.request's own callbacks
 * honoured once, for the final answer.
 */
import { isGuardError, type WxRequestOptions } from '../../miniprogram_npm_src'
import type { World } from '../../simulator/world/world'
import { setup, settle } from '../support/model-guard'

const ME = { url: 'https://api.example.com/me' }

/** The app's route answers `ms` later than the model's own hop: a slow API. */
function slowRequests(world: World, ms: number) {
  const answer = world.app.wx.request
  return (options: WxRequestOptions) => void world.clock.setTimeout(() => answer(options as never), ms)
}

describe('guard.request refuses a bad option before it touches the guard', () => {
  it('a string timeout (from a query string or JSON) is INVALID_ARGUMENT, and taps, prepare() and requests with numeric timeouts still work', async () => {
    const { world, guard } = setup(true, (w) => ({ wx: { ...w.wx, request: slowRequests(w, 2000) } }))
    // A real device's clock: `now() + '3000'` would be a 17-digit string.
    world.clock.stepWall(Date.UTC(2026, 11, 1))
    const bad = guard.request({ ...ME, timeout: '3000' as never }).catch((error: unknown) => error)
    expect(await settle(world, bad)).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(world.app.requests).toHaveLength(0)
    expect((await settle(world, guard.request({ ...ME, timeout: 3000 }))).statusCode).toBe(200)
    expect(await settle(world, guard.getPhoneNumber(world.wechat.consent('a').detail))).toMatchObject({ status: 'ok' })
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: false })
  })

  it.each([
    ['timeout', '3000'],
    ['timeout', NaN],
    ['timeout', Infinity],
    ['timeout', -1],
    ['timeout', 0],
    ['timeout', 2 ** 31],
    ['timeout', null],
    ['header', 'x'],
    ['header', null],
    ['header', 7],
    ['success', 'yes'],
    ['fail', {}],
    ['complete', 1],
  ])('%s: %p is INVALID_ARGUMENT and sends nothing', async (name, value) => {
    const { world, guard } = setup(true)
    const error = await settle(world, guard.request({ ...ME, [name]: value } as never).catch((e: unknown) => e))
    expect(isGuardError(error, 'INVALID_ARGUMENT')).toBe(true)
    expect(String((error as Error).message)).toContain(name)
    expect(world.app.requests).toHaveLength(0)
    expect(world.clock.pending).toBe(0)
  })
})

describe('guard.request honours success, fail and complete like wx.request: once, for the final answer', () => {
  const callbacks = () => ({ success: jest.fn(), fail: jest.fn(), complete: jest.fn() })

  it('a 200: success then complete, each once with the response', async () => {
    const { world, guard } = setup(true)
    const cb = callbacks()
    const res = await settle(world, guard.request({ ...ME, ...cb }))
    expect(cb.success.mock.calls).toEqual([[res]])
    expect(cb.complete.mock.calls).toEqual([[res]])
    expect(cb.fail).not.toHaveBeenCalled()
  })

  it('a 401 with a re-login and a replay: success once, with the replay’s response', async () => {
    const { world, guard } = setup(true)
    world.app.expireTokens()
    const cb = callbacks()
    const res = await settle(world, guard.request({ ...ME, ...cb }))
    expect(res.statusCode).toBe(200)
    expect(world.app.requests.map((r) => r.status)).toEqual([401, 200])
    expect(cb.success.mock.calls).toEqual([[res]])
    expect(cb.complete).toHaveBeenCalledTimes(1)
  })

  it('a failed request: fail then complete, each once with wx’s fail result; the promise rejects with it too', async () => {
    const fail = (o: { fail?: (e: unknown) => void }) => o.fail?.({ errMsg: 'request:fail ssl hand shake error' })
    const { world, guard } = setup(true, (w) => ({ wx: { ...w.wx, request: fail } as never }))
    const cb = callbacks()
    const error = await settle(world, guard.request({ ...ME, ...cb }).catch((e: unknown) => e))
    expect(error).toEqual({ errMsg: 'request:fail ssl hand shake error' })
    expect(cb.fail.mock.calls).toEqual([[error]])
    expect(cb.complete.mock.calls).toEqual([[error]])
    expect(cb.success).not.toHaveBeenCalled()
  })

  it('an invalid url: fail then complete with the INVALID_ARGUMENT error', async () => {
    const { world, guard } = setup(true)
    const cb = callbacks()
    const error = await settle(world, guard.request({ url: '', ...cb }).catch((e: unknown) => e))
    expect(isGuardError(error, 'INVALID_ARGUMENT')).toBe(true)
    expect(cb.fail.mock.calls).toEqual([[error]])
    expect(cb.complete).toHaveBeenCalledTimes(1)
  })

  it('a callback that throws changes nothing: the promise still resolves with the response', async () => {
    const { world, guard } = setup(true)
    const res = await settle(
      world,
      guard.request({
        ...ME,
        success: () => {
          throw new Error('page bug')
        },
      }),
    )
    expect(res.statusCode).toBe(200)
  })
})
