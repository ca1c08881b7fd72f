import fc from 'fast-check'
import type { SessionGuard } from '../../miniprogram_npm_src'
import type { Fault } from '../world/network'
import { CONSENT_SHAPES, consentAs, type ConsentShape } from '../model/phone-consent'
import type { Run, Step, TapRecord } from './steps'
import type { Reply } from '../world/thread-server'
import type { World } from '../world/world'

const time = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6000 }))

/** Taps whose detail has any documented shape: full, code-only, real-time, cloudID-only. */
export const shapedTap = (faults: boolean): fc.Arbitrary<Step> =>
  fc.record({
    at: time,
    kind: fc.constant('tap' as const),
    phoneCode: fc.constant(true),
    shape: fc.constantFrom(...CONSENT_SHAPES),
    ...(faults ? { fault: fc.constantFrom<Fault | undefined>(undefined, 'lose-request', 'lose-reply') } : {}),
  })

type ShapedTap = Step & { kind: 'tap'; shape: ConsentShape }

/** A tap whose detail seals nothing (code-only, real-time, cloudID-only): any client can serve it, faults aside. */
export function playUnsealedTap(world: World, guard: SessionGuard<Reply>, run: Run, step: ShapedTap, tag: string): TapRecord {
  const { detail } = consentAs(world.wechat, tag, step.shape)
  const redeemable = detail.code || detail.cloudID
  if (step.fault) {
    run.faulty = true
    world.network.arm(step.fault, (p) => (p.phoneCode || p.cloudID) === redeemable)
  }
  const record: TapRecord = { tag, start: world.clock.now(), eligibleAtConsent: !step.fault, unsealed: true }
  void guard.getPhoneNumber(detail).then((outcome) => {
    record.end = world.clock.now()
    record.outcome = outcome
  })
  return record
}
