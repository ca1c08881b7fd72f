import { randomBytes } from 'node:crypto'
import { payload } from './payload'
import { check, loggedIn, sealedPhone, should, show, Skipped, uniquePhoneNumber, type Context, type Scenario } from './scenario'

const REFUSE_FIX = "verify the token's signature and expiry before using it; answer a token you cannot verify SESSION_KEY_MISSING (or 401)"

/** Same alphabet, other value: a letter for a letter of the same case, a digit for a digit. */
function other(char: string): string {
  if (/[0-9]/.test(char)) return String((Number(char) + 1) % 10)
  if (/[a-y]/.test(char) || /[A-Y]/.test(char)) return String.fromCharCode(char.charCodeAt(0) + 1)
  if (char === 'z' || char === 'Z') return String.fromCharCode(char.charCodeAt(0) - 1)
  return char === '-' ? '_' : '-'
}

/**
 * The token the server issued, altered where a signature lives: the last characters. The character
 * before the last letter or digit is changed (the last one of base64 may carry only padding bits).
 */
export function forge(token: string): string {
  let last = token.length - 1
  while (last > 0 && !/[A-Za-z0-9]/.test(token[last])) last--
  const at = Math.max(0, last - 1)
  return token.slice(0, at) + other(token[at]) + token.slice(at + 1)
}

/**
 * A flag-'1' request with the token under test, carrying both data sealed with the user's key and a
 * phone code: a server that takes the token for anyone answers ok (or redeems the phone code).
 */
async function refused(ctx: Context, token: string, sessionKey: string | undefined, what: string): Promise<string> {
  // Where the platform has no phone codes, data sealed with a key nobody holds stands in for one.
  const phoneCode = ctx.platform.phoneCodes ? ctx.wechat.issuePhoneCode(uniquePhoneNumber(), ctx.wechat.newUser()) : undefined
  const key = sessionKey ?? (phoneCode ? undefined : ctx.platform.newSessionKey())
  const sealed = key ? sealedPhone(ctx, key).sealed : undefined
  const seen = await ctx.backend.data(payload('1', '', { sealed, phoneCode }), token)
  check(seen.kind !== 'ok', `${what}: ${show(seen)}`)
  const redeemed = phoneCode ? ctx.wechat.redemptionsOf(phoneCode) : 0
  check(redeemed === 0, `${what}: the phone code was redeemed ${redeemed}× for nobody known; reply ${show(seen)}`, 'P-PHONE-1', 'redeem a phone code only for a user identified by a verified token or a login code')
  check(seen.kind === 'session-key-missing' || seen.kind === 'session-expired', `${what}: ${show(seen)}`, 'P-ID-3', 'answer SESSION_KEY_MISSING (or 401 SESSION_EXPIRED) so the client sends a fresh login code')
  return `${what}: ${show(seen)}`
}

const TOKEN_WAIT_LIMIT_S = 30

export const tokenScenarios: Scenario[] = [
  {
    id: 'token-unknown',
    title: 'an unknown token on the data route is refused',
    rule: 'P-ID-3',
    fix: REFUSE_FIX,
    async run(ctx) {
      const user = await loggedIn(ctx)
      return refused(ctx, `kit-unknown-${randomBytes(12).toString('hex')}`, user.sessionKey, 'unknown token')
    },
  },
  {
    id: 'token-forged',
    title: 'a forged (altered) token on the data route is refused',
    rule: 'P-ID-3',
    fix: REFUSE_FIX,
    async run(ctx) {
      const user = await loggedIn(ctx)
      return refused(ctx, forge(user.token), user.sessionKey, 'issued token with its signature altered')
    },
  },
  {
    id: 'token-per-login',
    title: 'two logins of one user in the same second get two tokens',
    rule: 'P-ID-5',
    fix: 'put a random id in every token (the companion: 16 random bytes), so one login\'s token can be revoked without the other',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const { code } = ctx.wechat.issueCode(user.openid)
      const again = await ctx.backend.login(code)
      check(again.kind === 'ok' && again.token, `a second login of the same user: ${show(again)}`, 'P-LOGIN-1', 'answer the login route { ok: true, token, expiresIn } once the code is exchanged and its key stored')
      should(ctx, again.token !== user.token, 'the second login got the very token of the first', this.rule, this.fix)
      return `two logins, ${again.token === user.token ? 'one token' : 'two tokens'}`
    },
  },
  {
    id: 'token-expired',
    title: 'an expired token on the data route is refused',
    rule: 'P-ID-3',
    fix: REFUSE_FIX,
    async prepare(ctx) {
      const { tokenLifetimeSeconds } = ctx.settings
      if (tokenLifetimeSeconds === undefined) return undefined
      const user = await loggedIn(ctx)
      return { user, expiresAt: Date.now() + (tokenLifetimeSeconds + 1.2) * 1000 }
    },
    async run(ctx, prepared) {
      if (ctx.settings.expiredToken) return refused(ctx, ctx.settings.expiredToken, undefined, 'the expired token given')
      if (!prepared) {
        throw new Skipped('not run: no expired token to send', `start the backend with tokens of at most ${TOKEN_WAIT_LIMIT_S} s and pass --token-lifetime <s>, or pass --expired-token <token>`)
      }
      const { user, expiresAt } = prepared as { user: Awaited<ReturnType<typeof loggedIn>>; expiresAt: number }
      const wait = expiresAt - Date.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      return refused(ctx, user.token, user.sessionKey, `token ${ctx.settings.tokenLifetimeSeconds} s old, past its lifetime`)
    },
  },
]

export { TOKEN_WAIT_LIMIT_S }
