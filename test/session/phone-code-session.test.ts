/**
 * A phone code (nothing sealed) and the app's session: it goes with flag '1' whenever the server knows
 * the user (a token, or a session established this run on a server without tokens), and logs in only
 * when it must, taking a concurrent re-login's fresh token rather than making a second wx.login.
 */
import { DEFAULT_STORAGE_KEY } from '../../miniprogram_npm_src/app-session/app-session'
import { consentAs } from '../../simulator/model/phone-consent'
import type { World } from '../../simulator/world/world'
import { setup, settle } from '../support/model-guard'

const ME = { url: 'https://api.example.com/me' }
const codeOnly = (world: World, tag: string) => consentAs(world.wechat, tag, 'code-only').detail
const storedToken = (world: World) => (world.app.storage.get(DEFAULT_STORAGE_KEY) as { token?: string } | undefined)?.token
const flags = (world: World) => world.network.sent.filter((r) => r.kind === 'data').map((r) => r.payload.sessionKeyValidFlag)

describe('a code-only tap whose token the server revoked', () => {
  it('waits for a concurrent request’s re-login and goes with its fresh token: one wx.login in all', async () => {
    const { world, guard } = setup(true, (w) => ({
      // The data route knows the user by the app's token (the one the phone holds); an unknown one is a missing session.
      send: (payload: Record<string, string>) =>
        payload.sessionKeyValidFlag === '1' && !w.app.accepted.has(storedToken(w) as string)
          ? w.network.send({ ...payload, phoneCode: 'revoked' }).then(() => ({ ok: false as const, reason: 'SESSION_KEY_MISSING' }))
          : w.network.send(payload),
    }))
    world.app.expireTokens()
    const request = guard.request(ME)
    const tap = guard.getPhoneNumber(codeOnly(world, 'c'))
    expect(await settle(world, tap)).toMatchObject({ status: 'ok' })
    expect((await request).statusCode).toBe(200)
    expect(world.wechat.logins).toHaveLength(1)
    expect(flags(world)).toEqual(['1', '1'])
  })
})

describe('a code-only tap on a server without tokens', () => {
  it.each([
    ['session: false', { session: false as const }],
    ['a server that issues none', (w: World) => ({ sendLogin: (code: string) => w.network.sendLogin(code).then(({ ok, reason }) => ({ ok, reason })) })],
  ])('%s: once a login established the session, taps go with flag 1 and no login', async (_what, extra) => {
    const { world, guard } = setup(false, extra)
    expect(await settle(world, guard.prepare())).toEqual({ status: 'ok', loggedIn: true })
    for (const tag of ['a', 'b', 'c']) expect(await settle(world, guard.getPhoneNumber(codeOnly(world, tag)))).toMatchObject({ status: 'ok' })
    expect(world.wechat.logins).toHaveLength(1)
    expect(flags(world)).toEqual(['1', '1', '1'])
  })

  it('before any login this run, the first tap logs in (flag 0); the next goes with flag 1', async () => {
    const { world, guard } = setup(true, { session: false })
    for (const tag of ['a', 'b']) expect(await settle(world, guard.getPhoneNumber(codeOnly(world, tag)))).toMatchObject({ status: 'ok' })
    expect(flags(world)).toEqual(['0', '1'])
    expect(world.wechat.logins).toHaveLength(1)
  })
})
