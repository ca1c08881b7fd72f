import { payload } from './payload'
import { check, loggedIn, sealedPhone, should, show, type Context, type Scenario } from './scenario'

const CLAIM_FIX = 'claim each code atomically in the shared store before calling jscode2session; refuse a claimed code with CODE_REJECTED'
/** How fast a refused code must be answered: no retries, no waiting on WeChat twice. */
const QUICK_MS = 3000
/** The guard gives up on a request after its timeout (10 s by default). */
const CLIENT_TIMEOUT_MS = 10_000

/** Not ok, and not a reply that tells the client the key is stored. */
const establishesNothing = (kind: string) => kind !== 'ok' && kind !== 'decrypt-failed'

async function wechatTrouble(ctx: Context, script: { errcode?: number; delayMs?: number }): Promise<{ login: string; data: string }> {
  const openid = ctx.wechat.newUser()
  const loginCode = ctx.wechat.issueCode(openid, script).code
  const login = await ctx.backend.login(loginCode)
  check(login.status !== 0, `login while WeChat fails: ${show(login)}`, 'P-TIME-2', 'answer every request, WeChat failing or not: with WECHAT_UNAVAILABLE')
  check(establishesNothing(login.kind), `login while WeChat fails: ${show(login)}`, 'P-WECHAT-1', 'answer WECHAT_UNAVAILABLE when jscode2session fails: no session, no token')
  check(login.ms <= CLIENT_TIMEOUT_MS, `login answered after ${login.ms} ms: ${show(login)}`, 'P-TIME-2', 'bound every WeChat call (e.g. 5 s) so the answer comes within the client timeout')
  const { code, sessionKey } = ctx.wechat.issueCode(openid, script)
  const { sealed } = sealedPhone(sessionKey, ctx.settings.appId)
  const data = await ctx.backend.data(payload('0', code, { sealed }))
  check(data.status !== 0, `flag '0' while WeChat fails: ${show(data)}`, 'P-TIME-2', 'answer every request, WeChat failing or not: with WECHAT_UNAVAILABLE')
  check(establishesNothing(data.kind), `flag '0' while WeChat fails: ${show(data)}`, 'P-WECHAT-1', 'answer WECHAT_UNAVAILABLE when jscode2session fails (DECRYPT_FAILED would say the key is stored)')
  check(data.ms <= CLIENT_TIMEOUT_MS, `flag '0' answered after ${data.ms} ms: ${show(data)}`, 'P-TIME-2', 'bound every WeChat call (e.g. 5 s) so the answer comes within the client timeout')
  for (const [what, seen] of [['login', login], ["flag '0'", data]] as const) {
    should(ctx, !ctx.client.defaultShape || seen.reason === 'WECHAT_UNAVAILABLE', `${what} while WeChat fails: ${show(seen)}`, 'P-REASON-1', 'name the reason WECHAT_UNAVAILABLE when WeChat is busy, rate-limited, unreachable or slow')
  }
  return { login: `${show(login)} in ${login.ms} ms`, data: `${show(data)} in ${data.ms} ms` }
}

export const codeScenarios: Scenario[] = [
  {
    id: 'resent-code',
    title: 'a resent code is not exchanged again',
    rule: 'P-CODE-1',
    fix: CLAIM_FIX,
    async run(ctx) {
      const user = await loggedIn(ctx)
      const again = await ctx.backend.login(user.code)
      check(ctx.wechat.exchangesOf(user.code) === 1, `login resent: jscode2session called ${ctx.wechat.exchangesOf(user.code)} times; reply ${show(again)}`)
      check(again.kind === 'code-rejected' || again.kind === 'ok', `login resent: ${show(again)}`, 'P-CODE-1', 'answer a claimed code CODE_REJECTED (or the first answer)')
      const { code, sessionKey } = ctx.wechat.issueCode(user.openid)
      const body = payload('0', code, { sealed: sealedPhone(sessionKey, ctx.settings.appId).sealed })
      const first = await ctx.backend.data(body)
      check(first.kind === 'ok', `flag '0': ${show(first)}`, 'P-KEY-1', 'exchange the code, store the key, then decrypt')
      const resent = await ctx.backend.data(body)
      const exchanges = ctx.wechat.exchangesOf(code)
      check(exchanges === 1, `flag '0' resent: jscode2session called ${exchanges} times; reply ${show(resent)}`)
      check(resent.kind === 'code-rejected' || resent.kind === 'ok', `flag '0' resent: ${show(resent)}`, 'P-CODE-1', 'answer a claimed code CODE_REJECTED (or the first answer)')
      return `resent login ${show(again)}; resent flag '0' ${show(resent)}; each code exchanged once`
    },
  },
  {
    id: 'concurrent-flag-0',
    title: "20 concurrent identical flag-'0' requests → one exchange",
    rule: 'P-CODE-3',
    fix: CLAIM_FIX,
    async run(ctx) {
      const openid = ctx.wechat.newUser()
      // WeChat answers a little late, so the twenty are all in flight together.
      const { code, sessionKey } = ctx.wechat.issueCode(openid, { delayMs: 150 })
      const body = payload('0', code, { sealed: sealedPhone(sessionKey, ctx.settings.appId).sealed })
      const replies = await Promise.all(Array.from({ length: 20 }, () => ctx.backend.data(body)))
      const kinds = replies.map((r) => r.kind)
      const summary = Object.entries(kinds.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] || 0) + 1), acc), {}))
        .map(([k, n]) => `${n}× ${k}`)
        .join(', ')
      const exchanges = ctx.wechat.exchangesOf(code)
      check(exchanges === 1, `jscode2session called ${exchanges} times for one code (${summary})`)
      check(kinds.includes('ok'), `none of the twenty got the data (${summary})`, 'P-KEY-1', 'answer the request that won the claim with the decrypted data')
      check(kinds.every((k) => k === 'ok' || k === 'code-rejected'), `replies: ${summary}`, 'P-CODE-1', 'answer the requests that lost the claim CODE_REJECTED')
      return `1 exchange; ${summary}`
    },
  },
  {
    id: 'code-40029',
    title: '40029 → CODE_REJECTED quickly',
    rule: 'P-WECHAT-1',
    fix: 'map jscode2session errcode 40029 (and 40163) to CODE_REJECTED, without retrying',
    async run(ctx) {
      const openid = ctx.wechat.newUser()
      const { code } = ctx.wechat.issueCode(openid, { errcode: 40029 })
      const seen = await ctx.backend.login(code)
      check(seen.kind === 'code-rejected', `login with a code WeChat calls invalid: ${show(seen)}`)
      check(seen.ms <= QUICK_MS, `CODE_REJECTED after ${seen.ms} ms`, 'P-CODE-2', 'answer at once: a refused code is dead, do not retry it')
      const exchanges = ctx.wechat.exchangesOf(code)
      check(exchanges === 1, `the refused code reached jscode2session ${exchanges} times`, 'P-CODE-2', 'never retry jscode2session with the same code')
      return `${show(seen)} in ${seen.ms} ms`
    },
  },
  {
    id: 'wechat-busy',
    title: 'WeChat busy (−1) → not ok, answered in time',
    rule: 'P-WECHAT-1',
    fix: 'map errcode -1 / 45011 to WECHAT_UNAVAILABLE',
    async run(ctx) {
      const { login, data } = await wechatTrouble(ctx, { errcode: -1 })
      return `login ${login}; flag '0' ${data}`
    },
  },
  {
    id: 'wechat-slow',
    title: 'WeChat slow (no answer for 15 s) → not ok, answered within 10 s',
    rule: 'P-TIME-2',
    fix: 'bound every WeChat call (e.g. 5 s) and answer WECHAT_UNAVAILABLE past it',
    async run(ctx) {
      const { login, data } = await wechatTrouble(ctx, { delayMs: 15_000 })
      return `login ${login}; flag '0' ${data}`
    },
  },
]
