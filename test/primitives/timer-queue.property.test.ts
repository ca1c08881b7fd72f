/**
 * The timer queue under any mix of entries added and cancelled, timers run, the JS thread suspended
 * and the device clock stepped either way: each live entry fires once and never before its time (on
 * time when nothing stops or steps the clock), a cancelled one never; one real timer at most; and once
 * the last entry is gone, no timer outlives a step.
 */
import fc from 'fast-check'
import { monotonic } from '../../miniprogram_npm_src/primitives/clock'
import { TIMER_STEP_MS, TimerQueue } from '../../miniprogram_npm_src/primitives/timer-queue'
import { VirtualClock } from '../../simulator/model/virtual-clock'

type Op = { add: number } | { cancel: number } | 'run' | { suspend: number } | { step: number }

/** Any delay, and delays a millisecond either side of the timer's steps, where an off-by-one would show. */
const delay = fc.oneof(
  fc.integer({ min: 0, max: 5 * TIMER_STEP_MS }),
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -1, max: 1 })).map(([steps, off]) => Math.max(0, steps * TIMER_STEP_MS + off)),
)

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ add: delay }),
  fc.record({ cancel: fc.nat() }),
  fc.constant('run' as const),
  fc.record({ suspend: fc.integer({ min: 1, max: 3 * TIMER_STEP_MS }) }),
  fc.record({ step: fc.integer({ min: -3600_000, max: 3600_000 }) }),
)

interface Entry {
  at: number
  cancel: () => void
  cancelled: boolean
  fired: number[]
}

function play(ops: Op[]) {
  const virtual = new VirtualClock()
  const clock = monotonic(virtual.device)
  const timers = new TimerQueue(clock)
  const entries: Entry[] = []
  let mostTimers = 0
  for (const o of ops) {
    if (o === 'run') virtual.runNext()
    else if ('add' in o) {
      const entry: Entry = { at: clock.now() + o.add, cancel: () => undefined, cancelled: false, fired: [] }
      entry.cancel = timers.at(entry.at, () => entry.fired.push(clock.now()))
      entries.push(entry)
    } else if ('cancel' in o) {
      const entry = entries[o.cancel % Math.max(1, entries.length)]
      if (entry && entry.fired.length === 0) {
        entry.cancel()
        entry.cancelled = true
      }
    } else if ('suspend' in o) virtual.suspend(o.suspend)
    else virtual.stepWall(o.step)
    mostTimers = Math.max(mostTimers, virtual.pending)
  }
  return { virtual, timers, entries, mostTimers }
}

/** Runs every timer left; fails rather than loop. */
function runAll(virtual: VirtualClock): void {
  for (let i = 0; virtual.runNext(); i++) if (i > 100_000) throw new Error('the queue never went quiet')
}

describe('TimerQueue, whatever is added, cancelled, suspended and stepped', () => {
  it('fires each live entry once and never before its time, a cancelled one never, on one real timer', () =>
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { virtual, entries, mostTimers } = play(ops)
        runAll(virtual)
        expect(mostTimers).toBeLessThanOrEqual(1)
        for (const entry of entries) {
          if (entry.cancelled) expect(entry.fired).toEqual([])
          else {
            expect(entry.fired).toHaveLength(1)
            expect(entry.fired[0]).toBeGreaterThanOrEqual(entry.at)
          }
        }
      }),
      { numRuns: 500 },
    ))

  it('fires on time when nothing suspends or steps the clock', () =>
    fc.assert(
      fc.property(fc.array(op.filter((o) => o === 'run' || 'add' in o || 'cancel' in o), { maxLength: 60 }), (ops) => {
        const { virtual, entries } = play(ops)
        runAll(virtual)
        for (const entry of entries) if (!entry.cancelled) expect(entry.fired).toEqual([entry.at])
      }),
      { numRuns: 300 },
    ))

  it('holds no timer a step after its last entry goes', () =>
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { virtual, timers, entries } = play(ops)
        for (const entry of entries) entry.cancel()
        expect(timers.size()).toBe(0)
        const from = virtual.now()
        runAll(virtual)
        expect(virtual.now() - from).toBeLessThanOrEqual(TIMER_STEP_MS)
        expect(virtual.pending).toBe(0)
      }),
      { numRuns: 500 },
    ))
})
