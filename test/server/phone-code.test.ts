/**
 * Every way to the number a payload offers, over HTTP against the fake WeChat API: the sealed data
 * (current, then previous key), then the phone code — redeemed at most once — then a cloudID.
 */
import { createCloudFunction, createHttpHandler, createSessionTokens, type ErrorContext, type ServerError } from '../../server'
import { handlerWorld, OPENID, type HandlerWorld } from './handler-world'
import { listen, type Listening } from './http-listen'
import { APP_ID } from '../../simulator/model/wechat'

const SESSION_SECRET = 'a-session-secret-of-at-least-32-chars'
const NUMBER = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' }

let world: HandlerWorld
let http: Listening
let errors: { error: ServerError; context: ErrorContext }[]

async function start(options: { timeoutMs?: number } = {}) {
  errors = []
  world = await handlerWorld({ ...options, onError: (error, context) => errors.push({ error, context }) })
  http = await listen(createHttpHandler(world.handler, { sessionSecret: SESSION_SECRET }))
}
afterEach(async () => {
  await http?.close()
  await world?.fake.stop()
})

const post = (path: string, body: unknown, token?: string) =>
  fetch(http.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => (await r.json()) as Record<string, unknown>)

const login = async () => (await post('/login', { code: await world.code() })).token as string
const redemptions = () => world.fake.calls.filter((c) => c === '/wxa/business/getuserphonenumber').length

/** A full getPhoneNumber detail sealed with the key WeChat holds now, then two logins rotate it away. */
async function staleDetail(tag: string) {
  const { detail } = world.wechat.consent(tag, true)
  await world.handler.login({ code: await world.code() })
  await world.handler.login({ code: await world.code() })
  return detail as { iv: string; encryptedData: string; code: string }
}

describe('the phone code as the fallback', () => {
  it('answers ok from the phone code when the key was rotated under the data, with the same data shape as a decrypt', async () => {
    await start()
    const token = await login()
    const fresh = world.wechat.consent('fresh', true).detail as { iv: string; encryptedData: string; code: string }
    const decrypted = await post('/open-data', { code: '', sessionKeyValidFlag: '1', iv: fresh.iv, encryptedData: fresh.encryptedData, phoneCode: fresh.code }, token)
    expect(decrypted).toMatchObject({ ok: true, source: 'decrypt', data: NUMBER })
    expect(redemptions()).toBe(0)
    const stale = await staleDetail('stale')
    const payload = { code: '', sessionKeyValidFlag: '1', iv: stale.iv, encryptedData: stale.encryptedData }
    expect(await post('/open-data', payload, token)).toEqual({ ok: false, reason: 'DECRYPT_FAILED' })
    expect(await post('/open-data', { ...payload, phoneCode: stale.code }, token)).toEqual({ ok: true, source: 'phone-code', data: NUMBER })
    expect(redemptions()).toBe(1)
  })

  it('serves a code-only detail (no iv, no encryptedData) with flag 1 and a session, and with flag 0 after storing the login code', async () => {
    await start()
    const token = await login()
    expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-only-1' }, token)).toEqual({ ok: true, source: 'phone-code', data: NUMBER })
    const exchangesBefore = world.exchanges()
    const flag0 = await post('/open-data', { code: await world.code(), sessionKeyValidFlag: '0', phoneCode: 'phone-only-2' })
    expect(flag0).toEqual({ ok: true, source: 'phone-code', data: NUMBER, token: expect.any(String), expiresIn: 86400 })
    expect(world.exchanges()).toBe(exchangesBefore + 1)
    expect((await world.store.get(OPENID, world.clock.now()))?.current).toBe(world.wechat.key)
  })

  it('redeems nothing for a request it cannot attribute to a user: SESSION_KEY_MISSING, and the code stays unused', async () => {
    await start()
    expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-anon' })).toEqual({ ok: false, reason: 'SESSION_KEY_MISSING' })
    expect(redemptions()).toBe(0)
  })

  it('redeems a phone code once under 50 concurrent identical payloads; a repeat gets the same number, another user nothing', async () => {
    await start()
    const token = await login()
    const stale = await staleDetail('burst')
    const payload = { code: '', sessionKeyValidFlag: '1', iv: stale.iv, encryptedData: stale.encryptedData, phoneCode: stale.code }
    const replies = await Promise.all(Array.from({ length: 50 }, () => post('/open-data', payload, token)))
    expect(replies.every((r) => r.ok === true && r.source === 'phone-code')).toBe(true)
    expect(redemptions()).toBe(1)
    // A retry after a lost reply: the same user, the same code.
    expect(await post('/open-data', payload, token)).toEqual({ ok: true, source: 'phone-code', data: NUMBER })
    const someoneElse = createSessionTokens({ sessionSecret: SESSION_SECRET, appId: APP_ID }).issue('someone-else').token
    expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', phoneCode: stale.code }, someoneElse)).toEqual({ ok: false, reason: 'PHONE_CODE_REJECTED' })
    expect(redemptions()).toBe(1)
  })

  it('lets one of 50 concurrent identical flag-0 payloads exchange its code and redeem the phone code; the others are refused', async () => {
    await start()
    const payload = { code: await world.code(), sessionKeyValidFlag: '0', phoneCode: 'phone-flag0-burst' }
    const replies = await Promise.all(Array.from({ length: 50 }, () => post('/open-data', payload)))
    expect(replies.filter((r) => r.ok === true)).toHaveLength(1)
    expect(replies.filter((r) => r.reason === 'CODE_REJECTED')).toHaveLength(49)
    expect(world.exchanges()).toBe(1)
    expect(redemptions()).toBe(1)
  })
})

describe('phone code errors', () => {
  it('are typed, bounded, and name no code or key', async () => {
    await start({ timeoutMs: 300 })
    const token = await login()
    world.fake.failNext = [40029]
    expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-rejected' }, token)).toEqual({ ok: false, reason: 'PHONE_CODE_REJECTED' })
    world.fake.phoneDelayMs = 1000
    const started = Date.now()
    expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-slow' }, token)).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
    expect(Date.now() - started).toBeLessThan(1000)
    const reported = JSON.stringify(errors) + errors.map((e) => e.error.message).join()
    for (const secret of ['phone-rejected', 'phone-slow', world.wechat.key, token]) expect(reported).not.toContain(secret)
    expect(errors.map((e) => [e.context.stage, e.error.code])).toEqual([['phoneCode', 'TIMEOUT']])
  })

  it('gives the phone code back when WeChat was busy (-1), so the next tap redeems it', async () => {
    await start()
    const token = await login()
    world.fake.failNext = [-1]
    const payload = { code: '', sessionKeyValidFlag: '1', phoneCode: 'phone-busy' }
    expect(await post('/open-data', payload, token)).toEqual({ ok: false, reason: 'WECHAT_UNAVAILABLE' })
    expect(await post('/open-data', payload, token)).toEqual({ ok: true, source: 'phone-code', data: NUMBER })
  })

  it.each([
    ['an iv without encryptedData', { iv: 'aaaaaaaaaaaaaaaaaaaaaa==' }],
    ['nothing to open at all', {}],
    ['a phone code that is not a string', { phoneCode: 42 }],
  ])('refuse %s with BAD_INPUT', async (_what, fields) => {
    await start()
    const token = await login()
    expect(await post('/open-data', { code: '', sessionKeyValidFlag: '1', ...fields }, token)).toEqual({ ok: false, reason: 'BAD_INPUT' })
    expect(redemptions()).toBe(0)
  })
})

describe('cloudID in the cloud-function adapter', () => {
  it("opens a cloudID-only detail through cloud.getOpenData, for the caller WeChat's context names", async () => {
    await start()
    await world.handler.login({ code: await world.code() })
    const asked: unknown[] = []
    const cloud = {
      getWXContext: () => ({ OPENID }),
      // wx-server-sdk's documented answer: one entry per cloudID, its data as a JSON string.
      getOpenData: async (options: { list: string[] }) => (asked.push(options), { list: options.list.map((cloudID) => ({ cloudID, json: JSON.stringify({ cloudID, data: NUMBER }) })) }),
    }
    const main = createCloudFunction(world.handler, { cloud })
    expect(await main({ action: 'openData', payload: { code: '', sessionKeyValidFlag: '1', cloudID: 'cloud-id-1' } })).toEqual({ ok: true, source: 'cloud-id', data: NUMBER })
    expect(asked).toEqual([{ list: ['cloud-id-1'] }])
  })
})
