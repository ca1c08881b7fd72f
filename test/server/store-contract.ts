/** What the handler relies on from every SessionKeyStore: one suite, run against each store. */
import fc from 'fast-check'
import type { SessionKeyStore, StoreLimits, StoredKeys } from '../../server'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function errorOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

type Write = { key: string; at: number }

const above = (a: Write, b: Write) => a.at > b.at || (a.at === b.at && Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) > 0)

/**
 * The ordering rule, stated on the whole history: each key counts at the latest exchange that
 * answered it; the newest is current, the next one previous (ties: the greater key by bytes).
 */
export function expectedKeys(writes: Write[]): Pick<StoredKeys, 'current' | 'previous' | 'rotatedAt'> {
  const latest = new Map<string, number>()
  for (const w of writes) latest.set(w.key, Math.max(w.at, latest.get(w.key) ?? -Infinity))
  const ranked = [...latest].map(([key, at]) => ({ key, at })).sort((a, b) => (above(a, b) ? -1 : above(b, a) ? 1 : 0))
  const keys: Pick<StoredKeys, 'current' | 'previous' | 'rotatedAt'> = { current: ranked[0].key, rotatedAt: ranked[0].at }
  if (ranked[1]) keys.previous = ranked[1].key
  return keys
}

const only = ({ current, previous, rotatedAt }: StoredKeys) => (previous === undefined ? { current, rotatedAt } : { current, previous, rotatedAt })

export function storeContract(make: (limits?: StoreLimits) => SessionKeyStore, options: { propertyRuns?: number } = {}): void {
  it('returns nothing for an unknown user', async () => {
    expect(await make().get('nobody', Date.now())).toBeUndefined()
  })

  it('keeps the latest key and the one it replaced, with the time WeChat answered the exchange', async () => {
    const store = make()
    const t = Date.now()
    await store.set('u', 'k1', t)
    expect(only((await store.get('u', t))!)).toEqual({ current: 'k1', rotatedAt: t })
    await store.set('u', 'k2', t + 1000)
    expect(only((await store.get('u', t + 1000))!)).toEqual({ current: 'k2', previous: 'k1', rotatedAt: t + 1000 })
    // A later exchange that answers the same key (WeChat kept it) dates it from then on.
    await store.set('u', 'k2', t + 2000)
    expect(only((await store.get('u', t + 2000))!)).toEqual({ current: 'k2', previous: 'k1', rotatedAt: t + 2000 })
  })

  it('never lets a key WeChat answered earlier replace a newer one: a late write becomes previous', async () => {
    const store = make()
    const t = Date.now()
    await store.set('u', 'k2', t + 1000)
    await store.set('u', 'k1', t)
    expect(only((await store.get('u', t + 1000))!)).toEqual({ current: 'k2', previous: 'k1', rotatedAt: t + 1000 })
  })

  it('changes nothing for a write older than both stored keys, or a write replayed twice', async () => {
    const store = make()
    const t = Date.now()
    for (const [key, at] of [['k1', t], ['k2', t + 1000], ['k3', t + 2000], ['k1', t], ['k2', t + 1000], ['k3', t + 2000], ['k1', t]] as const) await store.set('u', key, at)
    expect(only((await store.get('u', t + 2000))!)).toEqual({ current: 'k3', previous: 'k2', rotatedAt: t + 2000 })
  })

  it('breaks a tie of one millisecond by the keys themselves, whatever order the writes arrive in', async () => {
    const store = make()
    const t = Date.now()
    await store.set('ab', 'kA', t)
    await store.set('ab', 'kB', t)
    await store.set('ba', 'kB', t)
    await store.set('ba', 'kA', t)
    expect(only((await store.get('ab', t))!)).toEqual({ current: 'kB', previous: 'kA', rotatedAt: t })
    expect(only((await store.get('ba', t))!)).toEqual({ current: 'kB', previous: 'kA', rotatedAt: t })
  })

  it('ends with the keys of the newest exchanges, however concurrent writes interleave, repeat or arrive late (property)', async () => {
    const base = Date.now()
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ key: fc.constantFrom('kA', 'kB', 'kC', 'kD'), at: fc.integer({ min: 0, max: 6 }), copies: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 8 }),
        async (s, history) => {
          const store = make()
          const user = `p-${Math.random().toString(36).slice(2)}`
          const writes = history.map(({ key, at }) => ({ key, at: base + at }))
          // Every write may be delivered more than once (a client library's replay), in any order.
          const deliveries = history.flatMap(({ copies }, i) => Array.from({ length: copies }, () => s.schedule(Promise.resolve(writes[i])).then((w) => store.set(user, w.key, w.at))))
          await s.waitAll()
          await Promise.all(deliveries)
          const stored = await store.get(user, base)
          expect(only(stored!)).toEqual(expectedKeys(writes))
        },
      ),
      { numRuns: options.propertyRuns ?? 100 },
    )
  })

  it.each([
    ['', 1000],
    ['k1', NaN],
    ['k1', -1],
    ['k1', Infinity],
    [undefined, 1000],
  ])('refuses a write of key %p at %p with a typed BAD_INPUT error, storing nothing', async (key, at) => {
    const store = make()
    expect(await errorOf(store.set('bad', key as string, at))).toMatchObject({ code: 'BAD_INPUT' })
    expect(await store.get('bad', Date.now())).toBeUndefined()
  })

  it('forgets a user on delete', async () => {
    const store = make()
    await store.set('u', 'k1', Date.now())
    await store.delete('u')
    expect(await store.get('u', Date.now())).toBeUndefined()
  })

  it("forgets a user's keys keyTtlMs after their last use", async () => {
    const store = make({ keyTtlMs: 150 })
    await store.set('idle', 'k1', Date.now())
    await sleep(250)
    expect(await store.get('idle', Date.now())).toBeUndefined()
  })

  it('renews the keys on every read, so a user who only sends flag 1 keeps them', async () => {
    const store = make({ keyTtlMs: 300 })
    await store.set('reader', 'k1', Date.now())
    for (let i = 0; i < 4; i++) {
      await sleep(150)
      expect(await store.get('reader', Date.now())).toMatchObject({ current: 'k1' })
    }
  })

  it('lets exactly one of many concurrent claims of a code win', async () => {
    const store = make()
    const wins = await Promise.all(Array.from({ length: 50 }, () => store.claimCode('code-x', 300000, Date.now())))
    expect(wins.filter(Boolean)).toHaveLength(1)
  })

  it('lets a claim go after its ttl', async () => {
    const store = make()
    expect(await store.claimCode('code-y', 50, Date.now())).toBe(true)
    await sleep(80)
    expect(await store.claimCode('code-y', 50, Date.now())).toBe(true)
  })

  it('gives a released claim back, for a code WeChat never consumed', async () => {
    const store = make()
    expect(await store.claimCode('code-z', 300000, Date.now())).toBe(true)
    await store.releaseCode?.('code-z')
    expect(await store.claimCode('code-z', 300000, Date.now())).toBe(true)
    expect(await store.claimCode('code-z', 300000, Date.now())).toBe(false)
  })

  it('refuses new claims past maxClaimedCodes with a typed STORE_FULL error, and takes them again once they expire', async () => {
    const store = make({ maxClaimedCodes: 32 })
    const outcomes: unknown[] = []
    for (let i = 0; i < 200; i++) outcomes.push(await store.claimCode(`flood-${i}`, 1000, Date.now()).catch((e: { code?: string }) => e.code))
    expect(outcomes.filter((o) => o === true)).toHaveLength(32)
    expect(outcomes.filter((o) => o !== true)).toEqual(Array(168).fill('STORE_FULL'))
    const taken = outcomes.lastIndexOf(true)
    expect(await store.claimCode(`flood-${taken}`, 1000, Date.now())).toBe(false)
    // Claims are counted per ttl window in Redis: at most two windows later every old claim is gone.
    await sleep(2100)
    expect(await store.claimCode('flood-new', 1000, Date.now())).toBe(true)
  })

  it.each([0, -1, 1.5, NaN, Infinity])('refuses keyTtlMs and maxClaimedCodes of %p when it is made', (value) => {
    expect(() => make({ keyTtlMs: value })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
    expect(() => make({ maxClaimedCodes: value })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
}
