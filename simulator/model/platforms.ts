import type { Platform } from '../../miniprogram_npm_src'

/**
 * One profile per platform whose login code buys the server a session_key that seals open data
 * (/work/shared/docs/platform-facts.md, section 1). The race is the same on all of them; what differs
 * is below. Undocumented rate limits are taken as WeChat's 4 per second.
 */
export interface PlatformProfile {
  name: Platform
  /** The global the platform's API object lives in. */
  global: 'wx' | 'qq' | 'tt' | 'swan' | 'ks'
  /** The call that yields a login code. Baidu's `login` is deprecated: `getLoginCode`. */
  loginCall: 'login' | 'getLoginCode'
  /** How long a login code stays exchangeable. [doc: Baidu 10 minutes, the others 5] */
  codeTtlMs: number
  /** How open data is sealed: WeChat's AES-128-CBC with a JSON watermark, or Baidu's AES-192-CBC with a 32-byte pad, a length and the app_key. */
  cipher: 'wechat' | 'baidu'
  /** Bytes of the session_key once base64-decoded. */
  keyBytes: 16 | 24
  /** How a server exchanges a code for the session_key. */
  exchange: { method: 'GET' | 'POST'; url: string }
  /** checkSession's failure when the session is gone; Douyin documents errNo 113101 (empty) and 113102 (expired). */
  noSession: { errMsg: string; errNo?: number }
  /** checkSession's failure that says nothing of the session (Douyin's 113191, an internal error); else as noSession. */
  checkBroken: { errMsg: string; errNo?: number }
}

const MINUTE = 60 * 1000
const wechatLike = { loginCall: 'login', codeTtlMs: 5 * MINUTE, cipher: 'wechat', keyBytes: 16 } as const

export const PROFILES: Record<Platform, PlatformProfile> = {
  weixin: {
    ...wechatLike,
    name: 'weixin',
    global: 'wx',
    exchange: { method: 'GET', url: 'https://api.weixin.qq.com/sns/jscode2session' },
    noSession: { errMsg: 'checkSession:fail session time out' },
    checkBroken: { errMsg: 'checkSession:fail session time out' },
  },
  qq: {
    ...wechatLike,
    name: 'qq',
    global: 'qq',
    exchange: { method: 'GET', url: 'https://api.q.qq.com/sns/jscode2session' },
    noSession: { errMsg: 'checkSession:fail' },
    checkBroken: { errMsg: 'checkSession:fail' },
  },
  toutiao: {
    ...wechatLike,
    name: 'toutiao',
    global: 'tt',
    exchange: { method: 'POST', url: 'https://developer.toutiao.com/api/apps/v2/jscode2session' },
    noSession: { errMsg: 'checkSession:fail session is expired', errNo: 113102 },
    checkBroken: { errMsg: 'checkSession:fail Internal error: get platformSessionExpiredTime failed', errNo: 113191 },
  },
  baidu: {
    name: 'baidu',
    global: 'swan',
    loginCall: 'getLoginCode',
    codeTtlMs: 10 * MINUTE,
    cipher: 'baidu',
    keyBytes: 24,
    exchange: { method: 'POST', url: 'https://spapi.baidu.com/oauth/jscode2sessionkey' },
    noSession: { errMsg: 'checkSession:fail' },
    checkBroken: { errMsg: 'checkSession:fail' },
  },
  kuaishou: {
    ...wechatLike,
    name: 'kuaishou',
    global: 'ks',
    exchange: { method: 'POST', url: 'https://open.kuaishou.com/oauth2/mp/code2session' },
    noSession: { errMsg: 'checkSession:fail' },
    checkBroken: { errMsg: 'checkSession:fail' },
  },
}

export const ALL_PROFILES: PlatformProfile[] = Object.values(PROFILES)

/** The app_key Baidu seals into every plaintext (its published sample's), checked by the server on opening. */
export const BAIDU_APP_KEY = 'y2dTfnWfkx2OXttMEMWlGHoB1KzMogm7'
