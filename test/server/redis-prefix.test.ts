/**
 * A RedisStore prefix that would put one script's keys in different hash slots (so every login
 * fails with CROSSSLOT on a cluster) is a CONFIG error when the store is made, not at the first
 * login. The slots are computed by cluster-key-slot, the same code ioredis routes with.
 */
import calculateSlot from 'cluster-key-slot'
import fc from 'fast-check'
import { RedisStore, ServerError } from '../../server'

/** Records the keys each script is given; the answers are shaped as Redis answers, nothing is asserted on them. */
function recordingStore(prefix: string) {
  const scripts: string[][] = []
  const store = new RedisStore(
    {
      eval: async (_script, keys) => {
        scripts.push(keys)
        return keys.length > 1 ? 1 : [1, 'a2V5', '1', '', '']
      },
    },
    { prefix, legacyKeys: true },
  )
  return { store, scripts }
}

/** Every script's keys in one slot, as Redis Cluster demands. */
async function slotsPerScript(prefix: string): Promise<number[][]> {
  const { store, scripts } = recordingStore(prefix)
  await store.claimCode('a-login-code', 5 * 60 * 1000, 1_700_000_000_000)
  await store.releaseCode('a-login-code')
  await store.set('o-user', 'a2V5a2V5a2V5a2V5a2V5aw==', 1_700_000_000_000)
  await store.get('o-user')
  await store.delete('o-user')
  return scripts.map((keys) => [...new Set(keys.map((key) => calculateSlot(key)))])
}

const configError = expect.objectContaining({ name: 'ServerError', code: 'CONFIG' })

describe('a prefix that would split a script over slots', () => {
  it("'app{1:' spread the claim script's keys over several slots (the CROSSSLOT it caused)", async () => {
    // What the store would send with it: three keys, each hashed on another part of its name.
    const hashed = ['app{1:claim:{05}:x', 'app{1:claims:{05}:1', 'app{1:claims:{05}:0'].map((key) => calculateSlot(key))
    expect(new Set(hashed).size).toBeGreaterThan(1)
  })

  it.each([
    ["an opening brace never closed: 'app{1:'", 'app{1:'],
    ["a brace at the end: 'a{'", 'a{'],
    ["an empty tag: 'x{}y:'", 'x{}y:'],
    ["an empty tag, then an open brace: '{}{'", '{}{'],
  ])('%s is a CONFIG error at creation', (_name, prefix) => {
    expect(() => new RedisStore({ eval: async () => undefined }, { prefix })).toThrow(configError)
  })

  it.each([42, null, {}])('a prefix that is not a string (%p) is a CONFIG error', (prefix) => {
    expect(() => new RedisStore({ eval: async () => undefined }, { prefix: prefix as unknown as string })).toThrow(configError)
  })

  it.each([
    ['the default', undefined],
    ['no brace', 'app:'],
    ['a closing brace only', 'app}:'],
    ['an empty prefix', ''],
    ['a whole tag (every key in that one slot: it works, one node does all the work)', 'app{x}:'],
  ])('%s is accepted, and every script stays in one slot', async (_name, prefix) => {
    for (const slots of await slotsPerScript(prefix as string)) expect(slots).toHaveLength(1)
  })

  it('for any prefix: either a CONFIG error at creation, or every script in one slot', async () => {
    const brace = fc.constantFrom('{', '}', 'a', ':', '1')
    const prefix = fc.oneof(fc.string({ maxLength: 12 }), fc.array(brace, { maxLength: 8 }).map((parts) => parts.join('')))
    await fc.assert(
      fc.asyncProperty(prefix, async (p) => {
        try {
          new RedisStore({ eval: async () => undefined }, { prefix: p })
        } catch (error) {
          return error instanceof ServerError && error.code === 'CONFIG'
        }
        return (await slotsPerScript(p)).every((slots) => slots.length === 1)
      }),
      { numRuns: 300 },
    )
  })
})
