import { withDeadline } from '../common/deadline'
import { ServerError, isServerError } from '../common/errors'
import type { SessionKeyStore, StoredKeys } from './store'

/**
 * Every store call with a deadline: a stalled Redis answers STORE_UNAVAILABLE instead of leaving the
 * request pending. Errors that are not the store's own typed ones lose their text (it may hold a key).
 */
export class BoundedStore {
  constructor(
    private readonly store: SessionKeyStore,
    private readonly timeoutMs: number,
  ) {}

  get(openid: string, now: number): Promise<StoredKeys | undefined> {
    return this.bound('get', () => this.store.get(openid, now))
  }

  /** Past the deadline the write may still land: the store's ordering by `exchangedAt` makes that harmless. */
  set(openid: string, sessionKey: string, exchangedAt: number): Promise<void> {
    return this.bound('set', () => this.store.set(openid, sessionKey, exchangedAt))
  }

  claimCode(code: string, ttlMs: number, now: number): Promise<boolean> {
    return this.bound('claimCode', () => this.store.claimCode(code, ttlMs, now))
  }

  releaseCode(code: string): Promise<void> {
    const store = this.store
    return this.bound('releaseCode', () => (store.releaseCode ? store.releaseCode(code) : undefined))
  }

  private async bound<T>(operation: string, work: () => Promise<T> | T): Promise<T> {
    try {
      return await withDeadline(work, this.timeoutMs, () => new ServerError('STORE_UNAVAILABLE', `store.${operation} timed out`))
    } catch (error) {
      if (isServerError(error, 'STORE_UNAVAILABLE') || isServerError(error, 'STORE_FULL')) throw error
      throw new ServerError('STORE_UNAVAILABLE', `store.${operation} failed (${error instanceof Error ? error.name : typeof error})`)
    }
  }
}
