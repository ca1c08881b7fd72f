/**
 * Under any interleaving of WeChat's answers and the store's (fast-check's scheduler): each login code
 * reaches WeChat (the model's jscode2session) at most once, each phone code is redeemed at most once
 * and only ever for one user, and every request answers.
 */
import fc from 'fast-check'
import { createOpenDataHandler, MemoryStore, ServerError, type SessionKeyStore, type WeChatApi } from '../../server'
import { VirtualClock } from '../../simulator/model/virtual-clock'
import { APP_ID, WeChatModel } from '../../simulator/model/wechat'

/** A MemoryStore whose every answer waits for the scheduler. */
function scheduledStore(s: fc.Scheduler): SessionKeyStore {
  const inner = new MemoryStore()
  return {
    get: (o, n) => s.schedule(inner.get(o, n), 'store.get'),
    set: (o, k, n) => s.schedule(inner.set(o, k, n), 'store.set'),
    delete: (o) => inner.delete(o),
    claimCode: (c, t, n) => s.schedule(inner.claimCode(c, t, n), 'store.claimCode'),
    releaseCode: (c) => inner.releaseCode(c),
  }
}

/** Runs the scheduler until nothing new gets scheduled (store calls start a tick after they are asked for). */
async function drain(s: fc.Scheduler): Promise<void> {
  for (let round = 0; round < 1000; round++) {
    await new Promise((r) => setImmediate(r))
    if (s.count() === 0) return
    await s.waitAll()
  }
  throw new Error('the scheduler never ran dry')
}

/** Whether a promise settles once the scheduler has nothing left to run. */
function tracked<T>(work: Promise<T>) {
  const state = { settled: false, value: undefined as T | undefined }
  work.then((value) => Object.assign(state, { settled: true, value }))
  return state
}

describe('the handler under any interleaving', () => {
  it('sends each login code to WeChat at most once, and answers ok for exactly one request per code', () =>
    fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.record({ code: fc.integer({ min: 0, max: 3 }), route: fc.constantFrom('login', 'flag-0') }), { minLength: 1, maxLength: 12 }), async (s, requests) => {
        const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, new VirtualClock(), (_l, fn) => fn(), false)
        const codes = await Promise.all([0, 1, 2, 3].map(() => new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))))
        const api: WeChatApi = {
          code2Session: (code) =>
            s.schedule(Promise.resolve(), 'jscode2session').then(() => {
              const result = wechat.code2Session(code)
              if ('errcode' in result) throw new ServerError('CODE_USED', 'used', result.errcode)
              return { openid: result.openid, sessionKey: result.session_key }
            }),
          getPhoneNumberByCode: () => Promise.reject(new ServerError('CODE_INVALID', 'unused here')),
        }
        const handler = createOpenDataHandler({ appId: APP_ID, api, store: scheduledStore(s) })
        const replies = requests.map(({ code, route }) =>
          tracked(route === 'login' ? handler.login({ code: codes[code] }) : handler.openData({ code: codes[code], sessionKeyValidFlag: '0', phoneCode: 'p' })),
        )
        await drain(s)
        expect(replies.every((r) => r.settled)).toBe(true)
        expect(wechat.codeErrors).toBe(0)
        const distinct = new Set(requests.map((r) => r.code)).size
        expect(replies.filter((r) => r.value?.exchanged)).toHaveLength(distinct)
      }),
      { numRuns: 200 },
    ))

  it('redeems each phone code at most once, for one user only, whoever asks and in whatever order', () =>
    fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ user: fc.constantFrom('u1', 'u2'), phoneCode: fc.constantFrom('p1', 'p2', 'p3') }), { minLength: 1, maxLength: 12 }),
        async (s, requests) => {
          const invoked: string[] = []
          const api: WeChatApi = {
            code2Session: () => Promise.reject(new ServerError('CODE_INVALID', 'unused here')),
            getPhoneNumberByCode: (code) => {
              // WeChat's phone codes are single-use: a second redemption would be refused (and billed for nothing).
              const again = invoked.includes(code)
              invoked.push(code)
              return s.schedule(Promise.resolve(), 'getuserphonenumber').then(() => {
                if (again) throw new ServerError('CODE_INVALID', 'used')
                return { phoneNumber: `number-of-${code}`, purePhoneNumber: `number-of-${code}`, countryCode: '86' }
              })
            },
          }
          const handler = createOpenDataHandler({ appId: APP_ID, api, store: scheduledStore(s) })
          const replies = requests.map(({ user, phoneCode }) => ({ user, phoneCode, reply: tracked(handler.openData({ code: '', sessionKeyValidFlag: '1', phoneCode }, user)) }))
          await drain(s)
          expect(replies.every((r) => r.reply.settled)).toBe(true)
          expect(new Set(invoked).size).toBe(invoked.length)
          for (const code of ['p1', 'p2', 'p3']) {
            const ok = replies.filter((r) => r.phoneCode === code && r.reply.value?.reply.ok)
            expect(new Set(ok.map((r) => r.user)).size).toBeLessThanOrEqual(1)
            for (const r of ok) expect(r.reply.value?.reply).toMatchObject({ data: { phoneNumber: `number-of-${code}` }, source: 'phone-code' })
            const refused = replies.filter((r) => r.phoneCode === code && !r.reply.value?.reply.ok)
            for (const r of refused) expect(r.reply.value?.reply).toEqual({ ok: false, reason: 'PHONE_CODE_REJECTED' })
            // The user who redeemed it gets the number every time they ask.
            if (ok.length) expect(refused.filter((r) => r.user === ok[0].user)).toHaveLength(0)
          }
        },
      ),
      { numRuns: 200 },
    ))
})
