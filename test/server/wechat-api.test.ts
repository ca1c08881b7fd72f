/** The WeChat API client against a small in-process WeChat whose access tokens rotate as WeChat's do. */
import { createWeChatApi, isServerError } from '../../server'

const json = (body: object) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
const tick = () => new Promise((r) => setTimeout(r, Math.random() * 5))

/** Issues token-1, token-2, …; a fetch makes the new token the only valid one. */
function rotatingTokens(tokenReplies: ((n: number) => object)[] = []) {
  let current = ''
  let issued = 0
  const seenTokens: string[] = []
  const fetchStub = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(String(input))
    await tick()
    if (url.pathname === '/cgi-bin/token') {
      issued++
      const custom = tokenReplies.shift()
      if (custom) return json(custom(issued))
      current = `token-${issued}`
      return json({ access_token: current, expires_in: 7200 })
    }
    const token = url.searchParams.get('access_token') || ''
    seenTokens.push(token)
    if (token !== current) return json({ errcode: 40001, errmsg: 'invalid credential' })
    return json({ errcode: 0, phone_info: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' } })
  }
  return {
    fetch: fetchStub as typeof fetch,
    issued: () => issued,
    seenTokens,
    /** Another server fetched a token: ours is now stale. */
    rotateElsewhere: () => (current = 'token-elsewhere'),
  }
}

describe('createWeChatApi access token', () => {
  it('fetches one new token when 100 concurrent calls all hit a stale one: a late 40001 does not throw the fresh token away', async () => {
    const wechat = rotatingTokens()
    const api = createWeChatApi({ appId: 'wxapp', appSecret: 's', fetch: wechat.fetch })
    await api.getPhoneNumberByCode('p0')
    wechat.rotateElsewhere()
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => api.getPhoneNumberByCode(`p${i + 1}`)))
    expect(results.every((r) => r.phoneNumber === '13800138000')).toBe(true)
    expect(wechat.issued()).toBe(2)
  })

  it('refuses a token reply without access_token with a typed error, and never sends "undefined" as a token', async () => {
    const wechat = rotatingTokens([() => ({ expires_in: 7200 })])
    const api = createWeChatApi({ appId: 'wxapp', appSecret: 's', fetch: wechat.fetch })
    const first = await api.getPhoneNumberByCode('p1').catch((e: unknown) => e)
    expect(isServerError(first, 'WECHAT_ERROR')).toBe(true)
    expect((await api.getPhoneNumberByCode('p2')).phoneNumber).toBe('13800138000')
    expect(wechat.seenTokens).not.toContain('undefined')
  })
})

describe('createWeChatApi deadline', () => {
  it('covers the whole body: a reply whose body never ends is a TIMEOUT, not a hang', async () => {
    const endless = () =>
      Promise.resolve(new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"openid":')) }), { status: 200 }))
    const api = createWeChatApi({ appId: 'wxapp', appSecret: 's', timeoutMs: 200, fetch: endless as typeof fetch })
    const outcome = await Promise.race([api.code2Session('c').catch((e: unknown) => e), new Promise((r) => setTimeout(() => r('HUNG'), 3000).unref())])
    expect(outcome).toMatchObject({ code: 'TIMEOUT' })
  })

  it.each([0, -5, NaN, 1.5])('refuses timeoutMs %p when it is made', (timeoutMs) => {
    expect(() => createWeChatApi({ appId: 'wxapp', appSecret: 's', timeoutMs })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
})

describe('createWeChatApi phone codes bound to their user', () => {
  it('sends the openid beside the phone code when given (WeChat checks the binding), the code alone otherwise; a malformed openid is BAD_INPUT', async () => {
    const bodies: unknown[] = []
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
      if (new URL(String(input)).pathname === '/cgi-bin/token') return json({ access_token: 't', expires_in: 7200 })
      bodies.push(JSON.parse(String(init?.body)))
      return json({ errcode: 0, phone_info: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' } })
    }) as typeof fetch
    const api = createWeChatApi({ appId: 'wxapp', appSecret: 's', fetch: fetchStub })
    await api.getPhoneNumberByCode('p1', 'o-user')
    await api.getPhoneNumberByCode('p2')
    expect(bodies).toEqual([{ code: 'p1', openid: 'o-user' }, { code: 'p2' }])
    for (const bad of ['', 'o'.repeat(129), 42]) {
      const error = await api.getPhoneNumberByCode('p3', bad as string).catch((e: unknown) => e)
      expect(isServerError(error, 'BAD_INPUT')).toBe(true)
    }
    expect(bodies).toHaveLength(2)
  })
})
