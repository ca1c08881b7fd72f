import { openData } from './decrypt'
import { isServerError } from '../common/errors'
import type { Platform } from '../platforms/platform'
import type { StoredKeys } from '../stores/store'

export interface SealedDataOptions {
  platform: Platform
  /** The appid (Baidu: the App Key the plaintext ends with). */
  appId: string
  graceMs: number
  maxAgeSeconds?: number
  maxFutureSeconds?: number
}

export type Opened = { data: Record<string, unknown> } | { reason: 'DECRYPT_FAILED' | 'BAD_INPUT' | 'WATERMARK_MISMATCH' | 'EXPIRED' }

type WatermarkRule = 'required' | 'if-present'

function open(sessionKey: string, sealed: { iv: string; encryptedData: string }, options: SealedDataOptions, now: number, watermark: WatermarkRule): Record<string, unknown> {
  if (options.platform === 'baidu') return openData({ platform: 'baidu', sessionKey, ...sealed, appKey: options.appId })
  // 'if-present' is WeChat's rule for data sealed without a watermark (P-CRYPTO-5); QQ, Douyin and Kuaishou apply it always.
  const { watermark: _watermark, ...data } = openData({
    ...(options.platform === 'weixin' ? { platform: 'weixin' as const, watermark } : { platform: options.platform }),
    sessionKey,
    ...sealed,
    appId: options.appId,
    maxAgeSeconds: options.maxAgeSeconds,
    maxFutureSeconds: options.maxFutureSeconds,
    now,
  })
  return data
}

/** Opens sealed open data with the current key, then the previous one while its grace lasts. */
export function openSealed(keys: StoredKeys, sealed: { iv: string; encryptedData: string }, options: SealedDataOptions, now: number, watermark: WatermarkRule = 'required'): Opened {
  const candidates = [keys.current]
  if (keys.previous && now - keys.rotatedAt <= options.graceMs) candidates.push(keys.previous)
  let lastError: unknown
  for (const sessionKey of candidates) {
    try {
      return { data: open(sessionKey, sealed, options, now, watermark) }
    } catch (error) {
      lastError = error
      if (!isServerError(error, 'DECRYPT_FAILED')) break
    }
  }
  if (isServerError(lastError, 'BAD_INPUT')) return { reason: 'BAD_INPUT' }
  if (isServerError(lastError, 'WATERMARK_MISMATCH')) return { reason: 'WATERMARK_MISMATCH' }
  if (isServerError(lastError, 'EXPIRED')) return { reason: 'EXPIRED' }
  return { reason: 'DECRYPT_FAILED' }
}
