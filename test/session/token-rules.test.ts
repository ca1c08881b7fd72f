/**
 * What the guard accepts as a session token: a header-safe string of bounded length, from a reply or
 * from storage; anything else is refused with an event, never stored or sent. And what it learns from
 * a login reply that carries no token.
 */
import type { GuardEvent } from '../../miniprogram_npm_src'
import { DEFAULT_STORAGE_KEY } from '../../miniprogram_npm_src/app-session/app-session'
import type { World } from '../../simulator/world/world'
import { setup, settle } from '../support/model-guard'

const ME = { url: 'https://api.example.com/me' }

/** A login route whose replies carry `token` instead of the server's. */
const loginWith = (world: World, token: unknown) => (code: string) => world.network.sendLogin(code).then((reply) => ({ ...reply, token }))

const authHeaders = (world: World) => world.app.requests.map((r) => r.token)

describe('a token-less login reply', () => {
  it('after the server issued tokens, teaches nothing: a refused token still costs one login and a replay', async () => {
    let stripped = 1
    const { world, guard } = setup(true, (w) => ({
      sendLogin: (code: string) => w.network.sendLogin(code).then((reply) => (stripped-- > 0 ? { ok: reply.ok } : reply)),
    }))
    guard.invalidate()
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    world.app.expireTokens()
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(2)
  })

  it('while no token was ever seen, means the server issues none: no login for one; the first token that comes ends that', async () => {
    let stripped = 1
    const { world, guard } = setup(false, (w) => ({
      sendLogin: (code: string) => w.network.sendLogin(code).then((reply) => (stripped-- > 0 ? { ok: reply.ok } : reply)),
    }))
    await settle(world, guard.prepare())
    await settle(world, guard.request(ME))
    expect(world.wechat.logins).toHaveLength(1)
    // The server starts issuing tokens (a new deployment): the next refusal logs in again.
    guard.invalidate()
    await settle(world, guard.prepare())
    expect(guard.token()).toBe(world.app.issued[world.app.issued.length - 1])
    world.app.expireTokens()
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(3)
  })
})

describe('a token that is not header-safe or too long', () => {
  it.each([
    ['CR/LF', 'abc\r\nX-Injected: 1'],
    ['NUL', 'abc\u0000def'],
    ['a space', 'two words'],
    ['non-ASCII', '令牌'],
    ['4097 characters', 'a'.repeat(4097)],
    ['a number', 42],
  ])('from a login reply (%s) is refused with an event, never stored or sent', async (_what, token) => {
    const events: GuardEvent[] = []
    const { world, guard } = setup(false, (w) => ({ sendLogin: loginWith(w, token), onEvent: (e) => events.push(e) }))
    await settle(world, guard.prepare())
    expect(guard.token()).toBeUndefined()
    expect(world.app.storage.has(DEFAULT_STORAGE_KEY)).toBe(false)
    if (typeof token === 'string') expect(events).toContainEqual({ type: 'bad-token', source: 'reply' })
    await settle(world, guard.request(ME))
    expect(authHeaders(world)).toEqual([undefined])
  })

  it('a 4096-character visible-ASCII token is taken', async () => {
    const token = '~'.repeat(4096)
    const { world, guard } = setup(false, (w) => ({ sendLogin: loginWith(w, token) }))
    await settle(world, guard.prepare())
    expect(guard.token()).toBe(token)
  })

  it('from storage is refused with an event, removed, and never sent; the first request logs in for a good one', async () => {
    const events: GuardEvent[] = []
    const { world, guard } = setup(true, (w) => {
      w.app.storage.set(DEFAULT_STORAGE_KEY, { token: 'stale\r\nSet-Cookie: x' })
      return { onEvent: (e) => events.push(e) }
    })
    // Storage is read on first need, not at creation.
    expect(guard.token()).toBeUndefined()
    expect(events).toContainEqual({ type: 'bad-token', source: 'storage' })
    expect(world.app.storage.has(DEFAULT_STORAGE_KEY)).toBe(false)
    expect((await settle(world, guard.request(ME))).statusCode).toBe(200)
    expect(authHeaders(world)).toEqual([world.app.issued[1]])
  })

  it.each([[{ token: 'ok', expiresAt: '0' }], [{ token: 'ok', expiresAt: NaN }], [7], ['garbage']])('a stored %p is no session', (stored) => {
    const { guard } = setup(true, (w) => (w.app.storage.set(DEFAULT_STORAGE_KEY, stored), {}))
    expect(guard.token()).toBeUndefined()
  })
})
