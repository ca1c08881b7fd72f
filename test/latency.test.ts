/**
 * Tap-to-answer latency at the protocol's floor (simulator/scenarios/latency.ts, the table `npm run bench`
 * prints): virtual time on fixed round trips, so the figures are exact and the test deterministic.
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { DEFAULT_ROUND_TRIPS, LATENCY_SCENARIOS, latencyTable, type RoundTrips } from '../simulator/scenarios/latency'

const ROUND_TRIPS: RoundTrips[] = [
  DEFAULT_ROUND_TRIPS,
  // A slow network and a slow wx.login; a fast network with a checkSession that takes longer than the request.
  { requestMs: 300, loginMs: 400, checkSessionMs: 10 },
  { requestMs: 20, loginMs: 60, checkSessionMs: 40 },
]

describe.each(ROUND_TRIPS.map((t) => [`request ${t.requestMs} ms, wx.login ${t.loginMs} ms, wx.checkSession ${t.checkSessionMs} ms`, t] as const))('with %s', (_name, trips) => {
  it.each(LATENCY_SCENARIOS.map((s) => [s.name]))('answers every tap of "%s" at the floor', async (name) => {
    const rows = await latencyTable(trips, createSessionGuard)
    const row = rows.find((r) => r.scenario === name)
    expect(row?.taps.map((t) => t.ms)).toEqual(row?.taps.map((t) => t.floor))
  })
})

it('serves the taps a valid session allows, and answers retry only where the sealing key is gone', async () => {
  const rows = await latencyTable(DEFAULT_ROUND_TRIPS, createSessionGuard)
  expect(Object.fromEntries(rows.map((r) => [r.scenario, r.taps.map((t) => t.status)]))).toEqual({
    'valid session': ['ok'],
    // Sealed with the expired key: the new login's key cannot open it; the next tap goes through.
    'session expired': ['retry DECRYPT_FAILED'],
    'stale key (another device logged in)': ['ok'],
    'key missing (server lost it)': ['ok'],
    'expired, then a re-tap after retry': ['retry DECRYPT_FAILED', 'ok'],
    'burst of five taps 100 ms apart': ['ok', 'ok', 'ok', 'ok', 'ok'],
  })
})
