import { configError } from '../common/errors'

/** uni-app's provider names: the mini program platforms whose login gives the server a session_key. */
export type Platform = 'weixin' | 'qq' | 'toutiao' | 'baidu' | 'kuaishou'

export const PLATFORMS: readonly Platform[] = ['weixin', 'qq', 'toutiao', 'baidu', 'kuaishou']

/** What a code exchange gives the server: who the user is, and the key that seals their open data. */
export interface Session {
  openid: string
  sessionKey: string
  unionid?: string
}

/** The platform a caller named, checked before it shapes anything: unknown names fail loudly. */
export function checkedPlatform(value: unknown): Platform {
  if (value === undefined) return 'weixin'
  if (typeof value !== 'string' || !(PLATFORMS as readonly string[]).includes(value)) throw configError(`platform must be one of ${PLATFORMS.join(', ')}`)
  return value as Platform
}

/**
 * What session tokens are bound to: the appid alone on WeChat (tokens issued before platforms
 * existed stay valid), `<platform>:<appid>` elsewhere, so a token of one platform's app never
 * passes on another's even where the two appids are spelled alike.
 */
export function audienceOf(platform: Platform, appId: string): string {
  return platform === 'weixin' ? appId : `${platform}:${appId}`
}

/**
 * Where a platform's users and codes live in a shared store: WeChat's at the top (the layout
 * before platforms), every other platform under its own name. Openids and codes of two platforms
 * can then never meet, whatever they look like; the namespace sits inside Redis hash tags, so each
 * script still touches one slot.
 */
export function storeNamespaceOf(platform: Platform): string {
  return platform === 'weixin' ? '' : `${platform}:`
}
