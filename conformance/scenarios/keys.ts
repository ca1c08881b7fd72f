import { payload } from './payload'
import { check, expectPhone, loggedIn, sealedPhone, should, show, type Scenario } from './scenario'

const STORE_FIX = 'store the exchanged key before decrypting, and keep it when the decrypt fails'

export const keyScenarios: Scenario[] = [
  {
    id: 'login-identity',
    title: 'login gives an identity',
    rule: 'P-LOGIN-1',
    fix: 'exchange the code, store the key, answer { ok: true, token, expiresIn }',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const exchanges = ctx.wechat.exchangesOf(user.code)
      check(exchanges === 1, `login answered ok, yet the code reached jscode2session ${exchanges} times`, 'P-CODE-1', 'exchange each code exactly once')
      return 'login ok, token issued, code exchanged once'
    },
  },
  {
    id: 'flag-1-ok',
    title: "flag '1' opens data sealed with the stored key",
    rule: 'P-DATA-2',
    fix: "for flag '1', identify the user from the Bearer token and decrypt with the stored key",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const { sealed, phoneNumber } = sealedPhone(user.sessionKey, ctx.settings.appId)
      const seen = await ctx.backend.data(payload('1', '', { sealed }), user.token)
      expectPhone(seen, phoneNumber, "flag '1' after login", this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'flag-0-stores-key',
    title: "flag '0' exchanges the code and stores its key",
    rule: 'P-KEY-1',
    fix: STORE_FIX,
    async run(ctx) {
      const openid = ctx.wechat.newUser()
      const { code, sessionKey } = ctx.wechat.issueCode(openid)
      const first = sealedPhone(sessionKey, ctx.settings.appId)
      // A stale token rides along, as after the app session ran out: the code is the identity here.
      const seen = await ctx.backend.data(payload('0', code, { sealed: first.sealed }), 'stale-token-from-an-old-session')
      expectPhone(seen, first.phoneNumber, "flag '0' with a stale token", 'P-ID-4', "for flag '0' take the identity from the code; ignore the token")
      check(seen.token, `flag '0' ok: ${show(seen)} carries no token`, 'P-ID-1', "after a code exchange, put the session token in the reply, flag '0' too")
      const second = sealedPhone(sessionKey, ctx.settings.appId)
      const next = await ctx.backend.data(payload('1', '', { sealed: second.sealed }), seen.token)
      expectPhone(next, second.phoneNumber, "the next flag '1'", this.rule, this.fix)
      return `flag '0' ${show(seen)}; then flag '1' ok`
    },
  },
  {
    id: 'failed-decrypt-stores-key',
    title: 'a failed decrypt after a key rotation still stores the new key',
    rule: 'P-KEY-1',
    fix: STORE_FIX,
    async run(ctx) {
      const user = await loggedIn(ctx)
      // wx.login rotated the key twice: the data was sealed with one the server never saw.
      const unseen = ctx.wechat.issueCode(user.openid).sessionKey
      const { code, sessionKey } = ctx.wechat.issueCode(user.openid)
      const stale = sealedPhone(unseen, ctx.settings.appId)
      const seen = await ctx.backend.data(payload('0', code, { sealed: stale.sealed }), user.token)
      check(seen.kind === 'decrypt-failed', `flag '0' with data sealed by an unseen key: ${show(seen)}`, 'P-REASON-1', 'answer DECRYPT_FAILED when the data opens with neither the current nor the previous key')
      should(ctx, seen.token, `flag '0' DECRYPT_FAILED: ${show(seen)} carries no token`, 'P-ID-1', "put the session token in every reply after a code exchange, DECRYPT_FAILED too: without it the guard's next tap costs another wx.login")
      const token = seen.token || user.token
      const fresh = sealedPhone(sessionKey, ctx.settings.appId)
      const next = await ctx.backend.data(payload('1', '', { sealed: fresh.sealed }), token)
      expectPhone(next, fresh.phoneNumber, "the next flag '1' with the new key", this.rule, this.fix)
      return `DECRYPT_FAILED, then flag '1' with the new key ok`
    },
  },
  {
    id: 'previous-key-grace',
    title: 'the previous key still opens data sealed just before a rotation',
    rule: 'P-KEY-3',
    fix: 'keep the replaced key as previous and try it after the current one for 5 minutes',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const before = sealedPhone(user.sessionKey, ctx.settings.appId)
      const { code } = ctx.wechat.issueCode(user.openid)
      const rotated = await ctx.backend.login(code)
      check(rotated.kind === 'ok', `second login: ${show(rotated)}`, 'P-LOGIN-1', 'answer the login route ok once the key is stored')
      const seen = await ctx.backend.data(payload('1', '', { sealed: before.sealed }), rotated.token || user.token)
      expectPhone(seen, before.phoneNumber, "flag '1' with data sealed before the rotation", this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'no-key',
    title: "no key (no identity) → SESSION_KEY_MISSING",
    rule: 'P-ID-3',
    fix: "answer a flag '1' request you cannot identify with SESSION_KEY_MISSING (or 401), never with data",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const { sealed } = sealedPhone(user.sessionKey, ctx.settings.appId)
      const seen = await ctx.backend.data(payload('1', '', { sealed }))
      check(seen.kind === 'session-key-missing' || seen.kind === 'session-expired', `flag '1' without a token: ${show(seen)}`)
      return show(seen)
    },
  },
]
