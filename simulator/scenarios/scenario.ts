import fc from 'fast-check'
import { createSessionGuard, type SessionGuard, type SessionGuardOptions } from '../../miniprogram_npm_src'
import type { Fault } from '../world/network'
import { avoidable } from './side-by-side'
import type { Reply } from '../world/thread-server'
import { ALL_POLICIES, type Policies } from '../model/wechat'
import { playUnsealedTap, shapedTap } from './shaped-taps'
import type { World } from '../world/world'
import type { Run, Step, TapRecord } from './steps'

export type { Run, Step, TapRecord }

export interface Scenario {
  policies: Policies
  loggedIn: boolean
  steps: Step[]
}

export const GUARD_TIMEOUT = 10000

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

const hostileStep: fc.Arbitrary<Step> = fc.oneof(
  // Later than the guard's timeout: the guard has stopped waiting when the code arrives.
  fc.record({ at: time, kind: fc.constant('late-login' as const), lateBy: fc.integer({ min: GUARD_TIMEOUT + 1, max: 60000 }) }),
  fc.record({ at: time, kind: fc.constant('unproven-reply' as const) }),
  fc.record({ at: time, kind: fc.constant('step-wall' as const), ms: fc.constantFrom(-3600000, 3600000, -5000, 700) }),
  fc.record({ at: time, kind: fc.constant('suspend' as const), ms: fc.integer({ min: 5000, max: 120000 }) }),
  fc.record({ at: time, kind: fc.constant('second-guard-tap' as const), phoneCode: fc.boolean() }),
)

export const policiesArb = fc.constantFrom(...ALL_POLICIES)

/** A forward leap of time the guard cannot tell from real time passing: a suspension, or the clock stepped ahead. */
const leaps = (step: Step) => step.kind === 'suspend' || (step.kind === 'step-wall' && step.ms > 1000)

/**
 * Users tapping and pages showing, with the world changing underneath and, if asked, faults; with
 * `hostile`, late callbacks, unproven replies, clock steps, suspension and a second guard; with
 * `shapes`, phone-number details of every documented shape besides.
 */
export function scenarioArb(options: { world: boolean; faults: boolean; hostile?: boolean; leaps?: boolean; maxSteps?: number; shapes?: boolean }): fc.Arbitrary<Scenario> {
  const hostile = options.leaps === false ? hostileStep.filter((step) => !leaps(step)) : hostileStep
  const kinds = [
    userStep,
    ...(options.world ? [worldStep] : []),
    ...(options.faults ? [faultStep] : []),
    ...(options.hostile ? [hostile] : []),
    ...(options.shapes ? [shapedTap(options.faults)] : []),
  ]
  return fc.record({
    policies: policiesArb,
    loggedIn: fc.boolean(),
    steps: fc.array(fc.oneof(...kinds), { minLength: 1, maxLength: options.maxSteps ?? 12 }),
  })
}

/** How a guard is made: the source's createSessionGuard, or the same function from a build of the package. */
export type CreateGuard = typeof createSessionGuard

export function guardFor(world: World, extra: Partial<SessionGuardOptions<Reply>> = {}, create: CreateGuard = createSessionGuard): SessionGuard<Reply> {
  return create<Reply>({
    platform: world.wechat.profile.name,
    wx: world.wx,
    send: world.network.send,
    sendLogin: world.network.sendLogin,
    clock: world.clock.device,
    timeout: GUARD_TIMEOUT,
    ...extra,
  })
}

/** Schedules every step on the world's clock against the guard; the caller then runs the world. */
export function playGuard(world: World, guard: SessionGuard<Reply>, steps: Step[], create: CreateGuard = createSessionGuard): Run {
  const run: Run = { taps: [], holds: [], prepares: [], disturbances: [], faulty: false, suspendedMs: 0, leapt: false, steppedBack: false }
  let second: SessionGuard<Reply> | undefined
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
        case 'late-login':
          run.faulty = true
          world.wechat.lateNextLogins.push(step.lateBy)
          break
        case 'unproven-reply':
          run.faulty = true
          world.server.unprovenNextReplies++
          break
        case 'step-wall':
          run.faulty = true
          world.clock.stepWall(step.ms)
          run.leapt = run.leapt || leaps(step)
          run.steppedBack = run.steppedBack || step.ms < 0
          break
        case 'suspend':
          run.faulty = true
          world.clock.suspend(step.ms)
          run.suspendedMs += step.ms
          run.leapt = true
          break
        case 'second-guard-tap': {
          run.faulty = true
          second = second || guardFor(world, {}, create)
          const consent = world.wechat.consent(`s${index}`, step.phoneCode)
          const record: TapRecord = { tag: `s${index}`, start: now, eligibleAtConsent: false }
          run.taps.push(record)
          void second.getPhoneNumber(consent.detail).then((outcome) => {
            record.end = world.clock.now()
            record.outcome = outcome
          })
          break
        }
      }
    }, step.at)
  })
  return run
}

/** Did the world change between a tap's start and its outcome? */
export function disturbedDuring(run: Run, tap: TapRecord): boolean {
  return run.disturbances.some((t) => t >= tap.start && t <= (tap.end ?? Infinity))
}
