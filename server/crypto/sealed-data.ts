import { decryptOpenData } from './decrypt'
import { isServerError } from '../common/errors'
import type { StoredKeys } from '../stores/store'

export interface SealedDataOptions {
  appId: string
  graceMs: number
  maxAgeSeconds?: number
  maxFutureSeconds?: number
}

export type Opened = { data: Record<string, unknown> } | { reason: 'DECRYPT_FAILED' | 'BAD_INPUT' | 'WATERMARK_MISMATCH' | 'EXPIRED' }

/** Opens sealed open data with the current key, then the previous one while its grace lasts. */
export function openSealed(keys: StoredKeys, sealed: { iv: string; encryptedData: string }, options: SealedDataOptions, now: number, watermark: 'required' | 'if-present' = 'required'): Opened {
  const candidates = [keys.current]
  if (keys.previous && now - keys.rotatedAt <= options.graceMs) candidates.push(keys.previous)
  let lastError: unknown
  for (const sessionKey of candidates) {
    try {
      const { watermark: _watermark, ...data } = decryptOpenData({
        sessionKey,
        ...sealed,
        appId: options.appId,
        maxAgeSeconds: options.maxAgeSeconds,
        maxFutureSeconds: options.maxFutureSeconds,
        now,
        watermark,
      })
      return { data }
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
