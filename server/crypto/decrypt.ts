import { ServerError } from '../common/errors'
import { checkedPlatform } from '../platforms/platform'
import { profileOf } from '../platforms/profiles'
import type { AppProof } from '../platforms/profile'
import { openBaiduCipher } from './baidu-cipher'
import { openWeChatCipher } from './wechat-cipher'

interface Sealed {
  sessionKey: string
  encryptedData: string
  iv: string
}

interface AgeOptions {
  /** Reject data whose watermark is older than this (and more than `maxFutureSeconds` in the future). */
  maxAgeSeconds?: number
  /** With `maxAgeSeconds`: how far ahead of this clock a watermark may be (default 60 s of clock skew). */
  maxFutureSeconds?: number
  /** Clock for the age check, in ms. */
  now?: number
}

/** WeChat's open data (the default platform): the watermark is there and checked. */
export interface WeChatDecryptOptions extends Sealed, AgeOptions {
  platform?: 'weixin'
  appId: string
  /**
   * 'required' (default): the plaintext must carry `watermark.appid` equal to `appId`. 'if-present':
   * data WeChat seals without one (wx.getChatToolInfo) opens too; a watermark that is there is still
   * checked, the age only on data that has one, and a phone number never opens without one (P-CRYPTO-5).
   */
  watermark?: 'required' | 'if-present'
}

/**
 * QQ, Douyin, Kuaishou: WeChat's cipher; a watermark, when the data carries one, must name this appid
 * (with `maxAgeSeconds`, data without a watermark is refused as EXPIRED: its age cannot be known).
 */
export interface WatermarkIfPresentDecryptOptions extends Sealed, AgeOptions {
  platform: 'qq' | 'toutiao' | 'kuaishou'
  appId: string
}

/** Baidu: AES-192-CBC; the plaintext ends with the app_key, which must be this app's. No timestamp. */
export interface BaiduDecryptOptions extends Sealed {
  platform: 'baidu'
  /** Your App Key (client_id). */
  appKey: string
}

export type DecryptOptions = WeChatDecryptOptions | WatermarkIfPresentDecryptOptions | BaiduDecryptOptions

export interface Watermark {
  appid: string
  timestamp: number
}

/**
 * Opens a platform's open data with the user's session_key and checks it is this app's: WeChat's
 * cipher and `watermark.appid` (QQ, Douyin, Kuaishou: when sent), or Baidu's cipher and trailing
 * app_key. Failures are ServerErrors: DECRYPT_FAILED (wrong key), WATERMARK_MISMATCH (another app's
 * data), EXPIRED (age limit), BAD_INPUT (not base64, a key of the wrong size).
 */
export function decryptOpenData<T = Record<string, unknown>>(options: BaiduDecryptOptions): T
export function decryptOpenData<T = Record<string, unknown>>(options: WatermarkIfPresentDecryptOptions): T & { watermark?: Watermark }
export function decryptOpenData<T = Record<string, unknown>>(options: WeChatDecryptOptions & { watermark?: 'required' }): T & { watermark: Watermark }
export function decryptOpenData<T = Record<string, unknown>>(options: WeChatDecryptOptions): T & { watermark?: Watermark }
export function decryptOpenData(options: DecryptOptions): Record<string, unknown> {
  return openData(options)
}

/** decryptOpenData without the overloads: the data as a plain object. */
export function openData(options: DecryptOptions): Record<string, unknown> {
  if (!options || typeof options !== 'object') throw new ServerError('BAD_INPUT', 'decryptOpenData takes an options object')
  let profile
  try {
    profile = profileOf(checkedPlatform(options.platform))
  } catch (error) {
    throw new ServerError('BAD_INPUT', (error as Error).message)
  }
  if (profile.cipher === 'baidu') {
    const { appKey } = options as BaiduDecryptOptions
    if (typeof appKey !== 'string' || appKey.length === 0) throw new ServerError('BAD_INPUT', 'appKey (your Baidu App Key) is required')
    return openBaiduCipher(options, appKey)
  }
  const checked = options as WeChatDecryptOptions
  checkAgeOptions(checked)
  if (checked.watermark !== undefined && checked.watermark !== 'required' && checked.watermark !== 'if-present') {
    throw new ServerError('BAD_INPUT', "watermark must be 'required' or 'if-present'")
  }
  const data = openWeChatCipher(checked)
  // A phone number is never taken without a watermark: WeChat always seals one into it.
  if (!('watermark' in data) && checked.watermark === 'if-present' && !carriesPhoneNumber(data)) return data
  checkWatermark(data.watermark, profile.appProof, checked)
  return data
}

const carriesPhoneNumber = (data: Record<string, unknown>): boolean => 'phoneNumber' in data || 'purePhoneNumber' in data

function checkWatermark(watermark: unknown, proof: AppProof, options: WeChatDecryptOptions): void {
  if (watermark === undefined && proof === 'appid-if-present') {
    if (options.maxAgeSeconds !== undefined) throw new ServerError('EXPIRED', 'open data without a watermark has no age to check against maxAgeSeconds')
    return
  }
  const mark = watermark as { appid?: unknown; timestamp?: unknown } | null
  if (!mark || typeof mark !== 'object' || mark.appid !== options.appId) throw new ServerError('WATERMARK_MISMATCH', 'watermark.appid is not this app')
  if (options.maxAgeSeconds !== undefined) checkAge(mark.timestamp, options)
}

const DEFAULT_MAX_FUTURE_SECONDS = 60

function checkAgeOptions(options: AgeOptions): void {
  for (const name of ['maxAgeSeconds', 'maxFutureSeconds'] as const) {
    const value = options[name]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new ServerError('BAD_INPUT', `${name} must be a non-negative finite number`)
    }
  }
}

function checkAge(timestamp: unknown, options: AgeOptions): void {
  const now = (options.now ?? Date.now()) / 1000
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || now - timestamp > (options.maxAgeSeconds as number)) {
    throw new ServerError('EXPIRED', 'open data is older than maxAgeSeconds')
  }
  // A watermark from the future was not made by WeChat for this request (or this clock is wrong).
  if (timestamp - now > (options.maxFutureSeconds ?? DEFAULT_MAX_FUTURE_SECONDS)) {
    throw new ServerError('EXPIRED', 'open data is dated in the future')
  }
}
