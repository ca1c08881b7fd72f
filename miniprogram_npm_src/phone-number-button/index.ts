import type { SessionGuard } from '../config/guard-api'
import type { Outcome } from '../wire/outcome'
import { SLOT } from '../wire/device-slot'

/** The result event's detail: the guard's outcome, or NO_GUARD when the app has none under `guardKey`. */
export type PhoneNumberResult<R = unknown> = Outcome<R> | { status: 'failed'; reason: 'NO_GUARD' }

type Release = () => void

declare function getApp(): Record<string, unknown> | undefined
declare const wx: object | undefined

const isGuard = (value: unknown): value is SessionGuard => !!value && typeof (value as SessionGuard).getPhoneNumber === 'function'

/** The device's first guard, from the slot every copy of the package shares (wire/device-slot.ts). */
function deviceGuard(): SessionGuard | undefined {
  try {
    const api = typeof wx !== 'undefined' ? (wx as Record<string, unknown>) : undefined
    for (const host of api ? [api, api.login] : []) {
      const slot = host ? ((host as Record<string, unknown>)[SLOT] as { guard?: unknown } | undefined) : undefined
      if (slot && isGuard(slot.guard)) return slot.guard
    }
  } catch {
    // A wx that throws on reads has no guard to offer.
  }
  return undefined
}

/** `getApp()[key]` when it is a guard (as the README's app sets it), else the device's first guard. */
function findGuard(key: string): SessionGuard | undefined {
  const app = typeof getApp === 'function' ? getApp() : undefined
  const guard = app && app[key]
  return isGuard(guard) ? guard : deviceGuard()
}

/**
 * <phone-number-button bind:result="onResult">手机号登录</phone-number-button>
 *
 * Wraps <button open-type="getPhoneNumber">, or with `realtime` <button
 * open-type="getRealtimePhoneNumber"> (real-time verification); both events
 * report through bind:result the same way. From the press until WeChat's
 * getphonenumber event it holds the app's logins back, so no login can rotate
 * the key that seals the data while the consent dialog is open. A real-time
 * detail is a phone code with nothing sealed: there is nothing to protect, so
 * a realtime press takes no hold. While an outcome is pending the
 * button shows loading and is disabled: a second dialog would only repeat a
 * paid verification. An event that still arrives meanwhile is served too.
 */
Component({
  externalClasses: ['custom-class'],
  properties: {
    type: { type: String, value: 'primary' },
    size: { type: String, value: 'default' },
    plain: { type: Boolean, value: false },
    disabled: { type: Boolean, value: false },
    loading: { type: Boolean, value: false },
    /** Real-time verification: open-type="getRealtimePhoneNumber" (a phone code only, 0.04 yuan per success). */
    realtime: { type: Boolean, value: false },
    /** Where the guard lives on the App object. */
    guardKey: { type: String, value: 'sessionGuard' },
  },
  data: { pending: false },
  lifetimes: {
    detached() {
      this.releaseHold()
    },
  },
  methods: {
    onTap() {
      const guard = findGuard(this.data.guardKey)
      if (!guard || this.data.realtime) return
      this.releaseHold()
      ;(this as unknown as { hold?: Release }).hold = guard.holdLogins()
    },
    onGetPhoneNumber(event: { detail: unknown }) {
      const guard = findGuard(this.data.guardKey)
      if (!guard) {
        this.releaseHold()
        this.triggerEvent('result', { status: 'failed', reason: 'NO_GUARD' })
        return
      }
      // The guard takes its own hold in this same tick, so the consent hold can go now.
      const outcome = guard.getPhoneNumber(event.detail)
      this.releaseHold()
      const self = this as unknown as { inFlight?: number }
      self.inFlight = (self.inFlight || 0) + 1
      this.setData({ pending: true })
      outcome.then((result) => {
        self.inFlight = (self.inFlight || 1) - 1
        if (!self.inFlight) this.setData({ pending: false })
        this.triggerEvent('result', result)
      })
    },
    releaseHold() {
      const self = this as unknown as { hold?: Release }
      if (self.hold) self.hold()
      self.hold = undefined
    },
  },
})
