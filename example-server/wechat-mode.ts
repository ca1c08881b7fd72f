/**
 * Whether `npm run example:server` answers from the real WeChat API or from the simulated one. The
 * simulated WeChat hands out login codes to anyone, so it runs only where that is obviously
 * development: never under NODE_ENV=production, never next to empty or half-set credentials, and
 * only by the explicit switch or when no credential-like variable is in the environment at all.
 */

/** The explicit development switch (or the `--dev-wechat` flag). */
export const DEV_SWITCH = 'SESSION_GUARD_DEV_WECHAT'

export type WeChatMode = { kind: 'real'; appId: string; appSecret: string; why: string } | { kind: 'simulated'; why: string }

/** The server does not start: the reason says what to change. */
export class WeChatModeError extends Error {
  readonly code = 'CONFIG'
  constructor(message: string) {
    super(message)
    this.name = 'WeChatModeError'
  }
}

/** Names that look like WeChat credentials under another name; the companion's own variables are not. */
const CREDENTIAL_LIKE = [/APP_?ID/i, /SECRET/i, /^(WX|WECHAT|WEIXIN)_/i]
const OWN = new Set(['WX_APPID', 'WX_SECRET', 'SESSION_SECRET', 'WECHAT_API_BASE'])

export function credentialLikeNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && !OWN.has(name) && !name.startsWith('npm_') && CREDENTIAL_LIKE.some((re) => re.test(name)))
    .sort()
}

const blank = (value: string | undefined) => value === undefined || value.trim() === ''

export function decideWeChatMode(env: Record<string, string | undefined>, argv: string[] = []): WeChatMode {
  const { WX_APPID: appId, WX_SECRET: appSecret } = env
  const switched = argv.includes('--dev-wechat') || env[DEV_SWITCH] === '1'
  if (appId !== undefined || appSecret !== undefined) {
    if (!blank(appId) && !blank(appSecret)) {
      if (switched) throw new WeChatModeError(`${DEV_SWITCH}/--dev-wechat asks for the simulated WeChat, but WX_APPID and WX_SECRET are set: unset one or the other`)
      return { kind: 'real', appId: (appId as string).trim(), appSecret: (appSecret as string).trim(), why: 'WX_APPID and WX_SECRET are set' }
    }
    const state = (name: string, value: string | undefined) => `${name} is ${value === undefined ? 'unset' : blank(value) ? 'empty' : 'set'}`
    throw new WeChatModeError(`WeChat credentials are empty or half-set (${state('WX_APPID', appId)}, ${state('WX_SECRET', appSecret)}): an unset CI secret? Set both for the real WeChat API, or unset both for the simulated one`)
  }
  if (!blank(env.WECHAT_API_BASE)) throw new WeChatModeError('WECHAT_API_BASE points the companion at a WeChat API (a conformance kit, a proxy): set WX_APPID and WX_SECRET for it too')
  if (env.NODE_ENV === 'production') throw new WeChatModeError('NODE_ENV=production: the simulated WeChat is off in production; set WX_APPID and WX_SECRET for the real WeChat API')
  if (switched) return { kind: 'simulated', why: `${argv.includes('--dev-wechat') ? '--dev-wechat' : `${DEV_SWITCH}=1`} (the explicit development switch)` }
  const lookalikes = credentialLikeNames(env)
  if (lookalikes.length > 0) {
    throw new WeChatModeError(`found ${lookalikes.join(', ')}: WeChat credentials under another name? Set WX_APPID and WX_SECRET for the real WeChat API, or ${DEV_SWITCH}=1 to use the simulated one anyway`)
  }
  return { kind: 'simulated', why: 'no WeChat credential in the environment (no WX_APPID/WX_SECRET, nothing named like APPID, APP_ID, *SECRET*, WX_*, WECHAT_*)' }
}

/** The one startup line that says which WeChat answers, and why. */
export function describeWeChatMode(mode: WeChatMode): string {
  return mode.kind === 'real' ? `WeChat: the real WeChat API, simulated WeChat OFF — ${mode.why}` : `WeChat: SIMULATED (development only) — ${mode.why}`
}
