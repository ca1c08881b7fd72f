import { payload } from './payload'
import { check, expectPhone, loggedIn, phoneNumberIn, should, show, uniquePhoneNumber, type Scenario } from './scenario'

const ONCE_FIX = 'claim each phone code in the shared store before calling getuserphonenumber; a repeat gets the same number for the same user or PHONE_CODE_REJECTED'

export const phoneScenarios: Scenario[] = [
  {
    id: 'phone-code-with-token',
    title: 'a phone code alone, with a token',
    rule: 'P-PHONE-1',
    fix: "for flag '1' with a phoneCode, identify the user from the token and redeem the code at getuserphonenumber",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const number = uniquePhoneNumber()
      const phoneCode = ctx.wechat.issuePhoneCode(number, user.openid)
      const seen = await ctx.backend.data(payload('1', '', { phoneCode }), user.token)
      expectPhone(seen, number, "flag '1' { phoneCode }", this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'phone-code-with-login-code',
    title: 'a phone code with a login code',
    rule: 'P-PHONE-1',
    fix: "for flag '0' with a phoneCode, exchange the login code (that is who it is), store the key, then redeem the phone code",
    async run(ctx) {
      const openid = ctx.wechat.newUser()
      const { code } = ctx.wechat.issueCode(openid)
      const number = uniquePhoneNumber()
      const phoneCode = ctx.wechat.issuePhoneCode(number, openid)
      const seen = await ctx.backend.data(payload('0', code, { phoneCode }))
      expectPhone(seen, number, "flag '0' { code, phoneCode }", this.rule, this.fix)
      check(ctx.wechat.exchangesOf(code) === 1, `the login code reached jscode2session ${ctx.wechat.exchangesOf(code)} times`, 'P-CODE-1', 'exchange each login code exactly once')
      check(seen.token, `flag '0' ok: ${show(seen)} carries no token`, 'P-ID-1', "after a code exchange, put the session token in the reply, flag '0' too")
      return show(seen)
    },
  },
  {
    id: 'phone-code-once',
    title: 'a phone code is redeemed once however often it is resent',
    rule: 'P-PHONE-2',
    fix: ONCE_FIX,
    async run(ctx) {
      const user = await loggedIn(ctx)
      const number = uniquePhoneNumber()
      const phoneCode = ctx.wechat.issuePhoneCode(number, user.openid)
      const body = payload('1', '', { phoneCode })
      const first = await ctx.backend.data(body, user.token)
      expectPhone(first, number, "flag '1' { phoneCode }", 'P-PHONE-1', 'redeem the phone code for the token’s user')
      const resent = [...(await Promise.all([1, 2, 3, 4, 5].map(() => ctx.backend.data(body, user.token))))]
      for (let i = 0; i < 3; i++) resent.push(await ctx.backend.data(body, user.token))
      for (const seen of resent) {
        const got = phoneNumberIn(seen)
        check(seen.kind !== 'ok' || got === number, `resent by the same user: ${show(seen)}`)
      }
      // Another user sending the code they saw must not get the number.
      const other = await loggedIn(ctx)
      const stolen = await ctx.backend.data(body, other.token)
      check(stolen.kind !== 'ok' && phoneNumberIn(stolen) !== number, `the same phone code from another user: ${show(stolen)}`, 'P-PHONE-2', 'never answer a number to another user than the one it was redeemed for')
      should(ctx, !ctx.client.defaultShape || stolen.reason === 'PHONE_CODE_REJECTED', `the same phone code from another user: ${show(stolen)}`, 'P-REASON-1', 'name the reason PHONE_CODE_REJECTED for a phone code already redeemed')
      const redemptions = ctx.wechat.redemptionsOf(phoneCode)
      check(redemptions === 1, `getuserphonenumber called ${redemptions} times for one phone code`)
      const ok = resent.filter((s) => s.kind === 'ok').length
      return `1 redemption; 8 resends: ${ok} ok with the same number, ${8 - ok} refused; another user: ${show(stolen)}`
    },
  },
  {
    id: 'access-token-refused',
    title: 'an access token WeChat refuses (40001) is fetched again, once',
    rule: 'P-PHONE-4',
    fix: 'on 40001/42001 from getuserphonenumber, drop the cached access token, fetch a new one and retry once',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const warm = uniquePhoneNumber()
      const warmed = await ctx.backend.data(payload('1', '', { phoneCode: ctx.wechat.issuePhoneCode(warm, user.openid) }), user.token)
      expectPhone(warmed, warm, "flag '1' { phoneCode }", 'P-PHONE-1', 'redeem the phone code for the token’s user')
      // Another server refreshed the token: the one this backend cached is dead now.
      ctx.wechat.revokeAccessTokens()
      const number = uniquePhoneNumber()
      const phoneCode = ctx.wechat.issuePhoneCode(number, user.openid)
      const seen = await ctx.backend.data(payload('1', '', { phoneCode }), user.token)
      expectPhone(seen, number, 'the next phone code after the access token was revoked', this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'phone-code-bound',
    title: "a phone code is redeemed naming its user's openid",
    rule: 'P-PHONE-5',
    fix: "send the user's openid (from jscode2session) with the phone code to getuserphonenumber: { code, openid }",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const own = uniquePhoneNumber()
      const ownCode = ctx.wechat.issuePhoneCode(own, user.openid)
      const seen = await ctx.backend.data(payload('1', '', { phoneCode: ownCode }), user.token)
      expectPhone(seen, own, "flag '1' { phoneCode } of the token's user", this.rule, "name the user's own openid (from jscode2session) with the phone code, or none")
      const named = ctx.wechat.openidsNamedFor(ownCode)
      should(ctx, named.length > 0 && named.every((openid) => openid === user.openid), `getuserphonenumber called without the user's openid`, this.rule, this.fix)
      // A code another user tapped for, seen on a shared screen or in a log: only the openid lets WeChat refuse it.
      const other = ctx.wechat.newUser()
      const seenCode = ctx.wechat.issuePhoneCode(uniquePhoneNumber(), other)
      const stolen = await ctx.backend.data(payload('1', '', { phoneCode: seenCode }), user.token)
      should(ctx, stolen.kind !== 'ok', `another user's phone code answered: ${show(stolen)}`, this.rule, this.fix)
      return `own code ok, openid named; another user's code: ${show(stolen)}`
    },
  },
]
