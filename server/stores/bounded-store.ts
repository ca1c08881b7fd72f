import { withDeadline } from '../common/deadline'
import { ServerError, isServerError } from '../common/errors'
import { MemoryStore, type SessionKeyStore, type StoredKeys } from './store'

const MEMORY = { get: MemoryStore.prototype.get, set: MemoryStore.prototype.set, claimCode: MemoryStore.prototype.claimCode, releaseCode: MemoryStore.prototype.releaseCode }

/**
 * Every store call with a deadline: a stalled Redis answers STORE_UNAVAILABLE instead of leaving the
 * request pending. Errors that are not the store's own typed ones lose their text (it may hold a key).
 * Every openid and code goes in under the platform's namespace (`storeNamespaceOf`), so two
 * platforms sharing a store never read each other's keys or claims.
 */
export class BoundedStore {
  constructor(
    private readonly store: SessionKeyStore,
    private readonly timeoutMs: number,
    private readonly namespace = '',
  ) {}

  get(openid: string, now: number): Promise<StoredKeys | undefined> {
    return this.bound('get', () => this.store.get(this.namespace + openid, now))
  }

  /** Past the deadline the write may still land: the store's ordering by `exchangedAt` makes that harmless. */
  set(openid: string, sessionKey: string, exchangedAt: number): Promise<void> {
    return this.bound('set', () => this.store.set(this.namespace + openid, sessionKey, exchangedAt))
  }

  claimCode(code: string, ttlMs: number, now: number): Promise<boolean> {
    return this.bound('claimCode', () => this.store.claimCode(this.namespace + code, ttlMs, now))
  }

  releaseCode(code: string): Promise<void> {
    const store = this.store
    return this.bound('releaseCode', () => (store.releaseCode ? store.releaseCode(this.namespace + code) : undefined))
  }

  /**
   * The built-in MemoryStore's own methods (not a subclass's, not a patched one) answer from this
   * process's memory before any other event can run: a deadline timer there could never fire.
   */
  private inProcess(operation: keyof typeof MEMORY): boolean {
    return Object.getPrototypeOf(this.store) === MemoryStore.prototype && this.store[operation] === MEMORY[operation]
  }

  private bound<T>(operation: keyof typeof MEMORY, work: () => Promise<T> | T): Promise<T> {
    const answer = this.inProcess(operation) ? Promise.resolve().then(work) : withDeadline(work, this.timeoutMs, () => new ServerError('STORE_UNAVAILABLE', `store.${operation} timed out`))
    return answer.catch((error: unknown) => {
      if (isServerError(error, 'STORE_UNAVAILABLE') || isServerError(error, 'STORE_FULL')) throw error
      throw new ServerError('STORE_UNAVAILABLE', `store.${operation} failed (${error instanceof Error ? error.name : typeof error})`)
    })
  }
}
