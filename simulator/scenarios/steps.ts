import type { Outcome } from '../../miniprogram_npm_src'
import type { Fault } from '../world/network'
import type { ConsentShape } from '../model/phone-consent'
import type { WorldEvent } from './side-by-side'
import type { Reply } from '../world/thread-server'

/** Things that happen to one user's mini program at a virtual time. */
export type Step =
  /** `shape`: the detail's shape (default: sealed data, with a phone code when `phoneCode`). */
  | { at: number; kind: 'tap'; fault?: Fault; phoneCode: boolean; shape?: ConsentShape }
  /** The component's way: press (hold logins), the consent dialog stays open dialogMs, then the event. */
  | { at: number; kind: 'held-tap'; dialogMs: number }
  | { at: number; kind: 'open-data' }
  | { at: number; kind: 'prepare' }
  | { at: number; kind: 'invalidate' }
  /** Hostile: the next wx.login calls back after `lateBy` ms; the next code request stores nothing and says so vaguely. */
  | { at: number; kind: 'late-login'; lateBy: number }
  | { at: number; kind: 'unproven-reply' }
  /** Hostile: the user steps the device clock; the mini program is suspended in the background. */
  | { at: number; kind: 'step-wall'; ms: number }
  | { at: number; kind: 'suspend'; ms: number }
  /** A tap handled by a second guard on the same wx (one per page by mistake). */
  | { at: number; kind: 'second-guard-tap'; phoneCode: boolean }
  | WorldEvent

export interface TapRecord {
  tag: string
  start: number
  end?: number
  outcome?: Outcome<Reply>
  /** A tap no client could fail on: valid session, no login in flight, and a key the server can use. */
  eligibleAtConsent: boolean
  /** The detail sealed nothing: a phone code or cloudID alone. */
  unsealed?: boolean
}

export interface Run {
  taps: TapRecord[]
  /** For each held tap: wx.login calls made before the press, and before the event. */
  holds: { loginsAtPress: number; loginsAtEvent?: number }[]
  prepares: { start: number; end?: number }[]
  /** Times at which the world changed under the client (expiry, key loss). */
  disturbances: number[]
  faulty: boolean
  /** Time the mini program spent suspended in the background: calls may take that much longer. */
  suspendedMs: number
  /** Time leapt forward (suspension, clock stepped ahead): waits may end early, and a code may come after them. */
  leapt: boolean
  /** The device clock was set back: the time since the guard last read it is lost to its waits. */
  steppedBack: boolean
}
