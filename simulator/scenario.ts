import fc from 'fast-check'
import { createSessionGuard, type Outcome, type SessionGuard, type SessionGuardOptions } from '../miniprogram_npm_src'
import type { Fault } from './network'
import type { ConsentShape } from './phone-consent'
import { avoidable, type WorldEvent } from './side-by-side'
import type { Reply } from './thread-server'
import { ALL_POLICIES, type Policies } from './wechat'
import { playUnsealedTap, shapedTap } from './shaped-taps'
import type { World } from './world'

/** Things that happen to one user's mini program at a virtual time. */
export type Step =
  /** `shape`: the detail's shape (default: sealed data, with a phone code when `phoneCode`). */
  | { at: number; kind: 'tap'; fault?: Fault; phoneCode: boolean; shape?: ConsentShape }
  /** The component's way: press (hold logins), the consent dialog stays open dialogMs, then the event. */
  | { at: number; kind: 'held-tap'; dialogMs: number }
  | { at: number; kind: 'open-data' }
  | { at: number; kind: 'prepare' }
  | { at: number; kind: 'invalidate' }
  | WorldEvent

export interface Scenario {
  policies: Policies
  loggedIn: boolean
  steps: Step[]
}

const time = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6000 }))

const userStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ at: time, kind: fc.constant('tap' as const), phoneCode: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ at: time, kind: fc.constant('open-data' as const) }) },
  { weight: 3, arbitrary: fc.record({ at: time, kind: fc.constant('held-tap' as const), dialogMs: fc.integer({ min: 0, max: 5000 }) }) },
  { weight: 3, arbitrary: fc.record({ at: time, kind: fc.constant('prepare' as const) }) },
)

const worldStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ at: time, kind: fc.constant('expire' as const) }),
  fc.record({ at: time, kind: fc.constant('lose-key' as const) }),
  fc.record({ at: time, kind: fc.constant('invalidate' as const) }),
)

const faultStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    at: time,
    kind: fc.constant('tap' as const),
    phoneCode: fc.boolean(),
    fault: fc.constantFrom<Fault>('lose-request', 'lose-reply'),
  }),
  fc.record({ at: time, kind: fc.constant('fail-login' as const) }),
  fc.record({ at: time, kind: fc.constant('fail-check' as const) }),
)

export const policiesArb = fc.constantFrom(...ALL_POLICIES)

/**
 * Users tapping and pages showing, with the world changing underneath and, if asked, faults;
 * with `shapes`, phone-number details of every documented shape besides.
 */
export function scenarioArb(options: { world: boolean; faults: boolean; maxSteps?: number; shapes?: boolean }): fc.Arbitrary<Scenario> {
  const kinds = [
    userStep,
    ...(options.world ? [worldStep] : []),
    ...(options.faults ? [faultStep] : []),
    ...(options.shapes ? [shapedTap(options.faults)] : []),
  ]
  return fc.record({
    policies: policiesArb,
    loggedIn: fc.boolean(),
    steps: fc.array(fc.oneof(...kinds), { minLength: 1, maxLength: options.maxSteps ?? 12 }),
  })
}

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
}

export const GUARD_TIMEOUT = 10000

export function guardFor(world: World, extra: Partial<SessionGuardOptions<Reply>> = {}): SessionGuard<Reply> {
  return createSessionGuard<Reply>({
    wx: world.wx,
    send: world.network.send,
    sendLogin: world.network.sendLogin,
    clock: world.clock,
    timeout: GUARD_TIMEOUT,
    ...extra,
  })
}

/** Schedules every step on the world's clock against the guard; the caller then runs the world. */
export function playGuard(world: World, guard: SessionGuard<Reply>, steps: Step[]): Run {
  const run: Run = { taps: [], holds: [], prepares: [], disturbances: [], faulty: false }
  steps.forEach((step, index) => {
    world.clock.setTimeout(() => {
      const now = world.clock.now()
      switch (step.kind) {
        case 'tap': {
          if (step.shape && step.shape !== 'full') {
            run.taps.push(playUnsealedTap(world, guard, run, { ...step, shape: step.shape }, `t${index}`))
            break
          }
          const consent = world.wechat.consent(`t${index}`, step.phoneCode)
          if (step.fault) {
            run.faulty = true
            world.network.arm(step.fault, (p) => p.encryptedData === consent.detail.encryptedData)
          }
          const record: TapRecord = { tag: `t${index}`, start: now, eligibleAtConsent: avoidable(world.wechat, world.server.storedKey, consent, step.fault) }
          run.taps.push(record)
          void guard.getPhoneNumber(consent.detail).then((outcome) => {
            record.end = world.clock.now()
            record.outcome = outcome
          })
          break
        }
        case 'held-tap': {
          const hold: Run['holds'][number] = { loginsAtPress: world.wechat.logins.length }
          run.holds.push(hold)
          const release = guard.holdLogins()
          world.clock.setTimeout(() => {
            hold.loginsAtEvent = world.wechat.logins.length
            const consent = world.wechat.consent(`h${index}`)
            const record: TapRecord = { tag: `h${index}`, start: world.clock.now(), eligibleAtConsent: avoidable(world.wechat, world.server.storedKey, consent, undefined) }
            run.taps.push(record)
            void guard.getPhoneNumber(consent.detail).then((outcome) => {
              record.end = world.clock.now()
              record.outcome = outcome
            })
            release()
          }, step.dialogMs)
          break
        }
        case 'open-data': {
          const record: TapRecord = { tag: `o${index}`, start: now, eligibleAtConsent: false }
          run.taps.push(record)
          void guard
            .openData(() => {
              const consent = world.wechat.consent(record.tag)
              record.eligibleAtConsent = avoidable(world.wechat, world.server.storedKey, consent, undefined)
              return Promise.resolve({ errMsg: 'getWeRunData:ok', encryptedData: consent.detail.encryptedData, iv: consent.detail.iv })
            })
            .then((outcome) => {
              record.end = world.clock.now()
              record.outcome = outcome
            })
          break
        }
        case 'prepare': {
          const record: { start: number; end?: number } = { start: now }
          run.prepares.push(record)
          void guard.prepare().then(() => (record.end = world.clock.now()))
          break
        }
        case 'invalidate':
          guard.invalidate()
          break
        case 'expire':
          world.wechat.expire()
          run.disturbances.push(now)
          break
        case 'lose-key':
          world.server.loseKey()
          run.disturbances.push(now)
          break
        case 'fail-login':
          run.faulty = true
          world.wechat.failNextLogins++
          break
        case 'fail-check':
          run.faulty = true
          world.wechat.failNextChecks++
          break
      }
    }, step.at)
  })
  return run
}

/** Did the world change between a tap's start and its outcome? */
export function disturbedDuring(run: Run, tap: TapRecord): boolean {
  return run.disturbances.some((t) => t >= tap.start && t <= (tap.end ?? Infinity))
}
