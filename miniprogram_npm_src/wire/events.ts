import type { ReplyKind } from './protocol'

/** Diagnostics. Payloads are redacted: no code, iv, encryptedData or phone code ever appears. */
export type GuardEvent =
  | { type: 'check-session'; valid: boolean }
  | { type: 'login'; ok: boolean; logins: number }
  | { type: 'send'; carriesCode: boolean; payload: Record<string, unknown> }
  | { type: 'send-login' }
  | { type: 'reply'; carriesCode: boolean; kind: ReplyKind | 'lost' }
  /** Another guard already works on this wx: the two share one login, checkSession, rate budget and hold gate. */
  | { type: 'shared-wx'; guards: number }
  /**
   * The device's shared state is this copy's own: 'foreign', something else holds its slot on the wx
   * object; 'unwritable', the wx object takes no property. Logins are then ordered among this copy's guards only.
   */
  | { type: 'device-state'; problem: 'foreign' | 'unwritable' }
  /** A session token that is not header-safe visible ASCII of at most 4096 characters: never stored or sent. */
  | { type: 'bad-token'; source: 'reply' | 'storage' }
  | { type: 'outcome'; call: 'getPhoneNumber' | 'openData' | 'prepare'; status: string; reason?: string }

export type EventListener = (event: GuardEvent) => void
