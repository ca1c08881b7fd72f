import type { ReplyKind } from './protocol'

/** Diagnostics. Payloads are redacted: no code, iv, encryptedData or phone code ever appears. */
export type GuardEvent =
  | { type: 'check-session'; valid: boolean }
  | { type: 'login'; ok: boolean; logins: number }
  | { type: 'send'; carriesCode: boolean; payload: Record<string, unknown> }
  | { type: 'send-login' }
  | { type: 'reply'; carriesCode: boolean; kind: ReplyKind | 'lost' }
  | { type: 'outcome'; call: 'getPhoneNumber' | 'openData' | 'prepare'; status: string; reason?: string }

export type EventListener = (event: GuardEvent) => void
