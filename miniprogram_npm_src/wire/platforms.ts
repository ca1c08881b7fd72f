import { SessionGuardError } from '../errors/errors'
import type { WxLike } from './wx-api'

/**
 * The platforms whose login code buys the server a session_key that seals open data, by uni-app's
 * provider names. What differs on the client is small: the global the API object lives in, and
 * Baidu's login call. Every other difference (a result's `:ok` suffix, Douyin's errNo) is read the
 * same way on all of them, and where a rate limit is unpublished WeChat's 4 per 1.1 s holds.
 */
export type Platform = 'weixin' | 'qq' | 'toutiao' | 'baidu' | 'kuaishou'

declare const wx: WxLike | undefined
declare const qq: WxLike | undefined
declare const tt: WxLike | undefined
declare const swan: WxLike | undefined
declare const ks: WxLike | undefined

/** The platform's own API object (`wx`, `qq`, `tt`, `swan`, `ks`), when its global is there. */
export function platformApi(platform: Platform | undefined): WxLike | false {
  // Each global read on its own, and only the named one: a typeof of a missing global never throws.
  if (platform === undefined || platform === 'weixin') return typeof wx !== 'undefined' && wx
  if (platform === 'qq') return typeof qq !== 'undefined' && qq
  if (platform === 'toutiao') return typeof tt !== 'undefined' && tt
  if (platform === 'baidu') return typeof swan !== 'undefined' && swan
  if (platform === 'kuaishou') return typeof ks !== 'undefined' && ks
  // Alipay's my.getAuthCode buys an OAuth token, never a session_key: there is no race to guard.
  // Any other value (a typo, a non-string) is refused the same way.
  throw new SessionGuardError('CONFIG', 'options.platform: ' + platform + ' has no session_key')
}
