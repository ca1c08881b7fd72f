/**
 * The guard owning the app's session in the guard's usual races (test/support/session-properties.ts):
 * every request settles, and nothing is left once the world is quiet. The other properties:
 * test/session/session.property.test.ts.
 */
import { GUARD_TIMEOUT } from '../../simulator/scenarios/scenario'
import { everything, property } from '../support/session-properties'

describe('the app session inside the guard’s races (taps, pages, requests, token expiries, faults)', () => {
  it('settles every request with a response (the business route always answers), within one login wait and two sends', () =>
    property(everything, ({ run }) => {
      for (const request of run.requests) {
        expect(request.end).toBeDefined()
        expect((request.end as number) - request.start).toBeLessThanOrEqual(3 * GUARD_TIMEOUT)
        expect(request.rejected).toBeUndefined()
      }
    }))

  it('leaves no hold, waiter or timer once the world is quiet', () =>
    property(everything, ({ world, guard }) => {
      expect(guard.inspect()).toMatchObject({ holds: 0, login: 'idle', waiters: 0 })
      expect(world.clock.pending).toBe(0)
    }))
})
