import type { Clock } from '../primitives/clock'
import { createDeviceLock, failSafe, type DeviceLock } from '../primitives/device-lock'
import { TimerQueue } from '../primitives/timer-queue'
import { isObject } from './is-object'
import type { WxLike } from './wx-api'

/** WeChat allows 4 wx.login + wx.checkSession calls per user per second; the margin absorbs clock skew. */
export const CALLS_PER_WINDOW = 4
export const WINDOW_MS = 1100
/** A wx.login whose callback never comes stops counting as in flight after this. */
export const LOGIN_CALLBACK_CAP_MS = 60000

/**
 * The property that holds the device's state: on the platform's API object, and on its login
 * function, which the copies of that object frameworks make (uni-app) still share.
 */
export const SLOT = '__sessionGuardDevice'

/** Kept equal to package.json's version (a test holds it). */
export const PACKAGE_VERSION = '0.1.0'

/**
 * Copies of one build share all their state; copies of other builds (another version, or the same
 * source minified differently: member names differ) share only the lock. The probe's key is renamed
 * wherever the build renames members.
 */
const BUILD = PACKAGE_VERSION + '/' + Object.keys({ timers: 0 })[0]

/**
 * The slot, contract version 1. Its members never change meaning; later contracts add members
 * beside them, so every version can read what every other wrote.
 */
export interface DeviceSlot {
  v: number
  /** Every copy's wx.login and wx.checkSession go through it. */
  lock: DeviceLock
  /** State that copies of one build share, by build. */
  builds: Record<string, Record<string, unknown>>
  /** The first guard created on this device: the component's guard when getApp() has none. */
  guard?: unknown
}

/** 'foreign': something else holds the slot; 'unwritable': the API object takes no property. The state is then this copy's own. */
export type DeviceProblem = 'foreign' | 'unwritable'

export interface Device {
  slot: DeviceSlot
  /** The slot's lock as this copy uses it: checked on every call. */
  lock: DeviceLock
  problem?: DeviceProblem
}

const LOCK_METHODS = ['claim', 'landed', 'delay', 'listen', 'logins']

/** A value some copy of any version left in the slot, or anything else: only a usable slot passes. */
export function isDeviceSlot(value: unknown): value is DeviceSlot {
  if (!isObject(value)) return false
  const { v, lock, builds } = value as Partial<DeviceSlot>
  if (!(typeof v === 'number' && v >= 1) || !isObject(lock) || !isObject(builds) || lock.v !== 1) return false
  for (const name of LOCK_METHODS) if (typeof (lock as unknown as Record<string, unknown>)[name] !== 'function') return false
  return true
}

/** Property reads on an outside object can throw (getters, proxies). */
function read(host: unknown, name: string): unknown {
  try {
    return host ? (host as Record<string, unknown>)[name] : undefined
  } catch {
    return undefined
  }
}

/** Non-enumerable, and fixed once set: no later write, spread or JSON round trip replaces or copies it. */
function install(host: unknown, slot: DeviceSlot): boolean {
  try {
    Object.defineProperty(host, SLOT, { value: slot })
    return read(host, SLOT) === slot
  } catch {
    return false
  }
}

/** Where the slot is looked for and kept. */
function hostsOf(api: WxLike): unknown[] {
  const login = read(api, 'login')
  return typeof login === 'function' ? [api, login] : [api]
}

/** This copy's own slots, when no host takes one: its guards still share one state. */
const ownSlots = new WeakMap<object, DeviceSlot>()

/** The device the API object belongs to, found in (or given) its slot. */
export function deviceOf(api: WxLike, clock: Clock): Device {
  const hosts = hostsOf(api)
  let found: DeviceSlot | undefined
  let foreign = false
  for (const host of hosts) {
    const value = read(host, SLOT)
    if (isDeviceSlot(value)) {
      if (!found) found = value
    } else if (value !== undefined) foreign = true
  }
  const own = () => createDeviceLock(new TimerQueue(clock), CALLS_PER_WINDOW, WINDOW_MS, LOGIN_CALLBACK_CAP_MS)
  if (found) {
    for (const host of hosts) if (read(host, SLOT) === undefined) install(host, found)
    // A lock of another build that throws is left for this copy's own, rather than stopping its logins.
    return { slot: found, lock: failSafe(found.lock, own), problem: foreign ? 'foreign' : undefined }
  }
  let slot = ownSlots.get(api)
  if (slot) return { slot, lock: slot.lock, problem: foreign ? 'foreign' : 'unwritable' }
  slot = { v: 1, lock: own(), builds: {} }
  let installed = false
  for (const host of hosts) if (read(host, SLOT) === undefined && install(host, slot)) installed = true
  if (!installed) ownSlots.set(api, slot)
  return { slot, lock: slot.lock, problem: foreign ? 'foreign' : installed ? undefined : 'unwritable' }
}

/** This build's state named `name` on the device: the one there if `valid` says so, else a new one from `create`. */
export function buildState<T>(device: Device, name: string, create: () => T, valid: (value: unknown) => boolean): T {
  const { builds } = device.slot
  let mine = read(builds, BUILD) as Record<string, unknown> | undefined
  if (!isObject(mine)) {
    mine = {}
    try {
      builds[BUILD] = mine
    } catch {
      // A frozen map of builds: this copy keeps its state to itself.
    }
  }
  const value = read(mine, name)
  if (valid(value)) return value as T
  const made = create()
  try {
    mine[name] = made
  } catch {
    // As above.
  }
  return made
}
