/**
 * The README's 用法 config against the example companion, as a new user meets it: first launch,
 * onShow → prepare(), then a burst of 5 taps. Prints the outcomes and the wx.login count.
 *
 *   npx tsx scripts/readme-burst.ts [repo root, default this one]   (e.g. /work/main for "before")
 */
import path from 'node:path'

const ROOT = path.resolve(process.argv[2] || path.join(__dirname, '..'))

async function main() {
  const { createSessionGuard } = await import(path.join(ROOT, 'miniprogram_npm_src/index.ts'))
  const { startExampleServer } = await import(path.join(ROOT, 'example-server/companion.ts'))
  const { World, realTime } = await import(path.join(ROOT, 'simulator/world/world.ts'))
  const { systemClock } = await import(path.join(ROOT, 'miniprogram_npm_src/primitives/clock.ts'))
  const world = new World({ rotation: 'always', expiredConsent: 'expired-key' }, realTime(2), false, systemClock)
  const companion = await startExampleServer({ wechat: world.wechat })
  const storage = new Map<string, unknown>()
  type Options = { url: string; method?: string; data?: unknown; header?: Record<string, string>; success?: (r: unknown) => void; fail?: (e: unknown) => void }
  const wx = {
    ...world.wx,
    request(options: Options) {
      fetch(options.url, { method: options.method || 'GET', headers: options.header, body: options.data === undefined ? undefined : JSON.stringify(options.data) })
        .then(async (r) => ({ statusCode: r.status, data: await r.json().catch(() => ''), header: {} }))
        .then((res) => options.success?.(res), (e) => options.fail?.({ errMsg: `request:fail ${e}` }))
    },
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
  }
  try {
    const guard = createSessionGuard({ wx, url: `${companion.url}/open-data`, loginUrl: `${companion.url}/login` })
    const prepared = await guard.prepare()
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((i) => guard.getPhoneNumber(world.wechat.consent(`tap${i}`).detail)))
    const shown = outcomes.map((o: { status: string; reason?: string; reply?: { data?: { phoneNumber?: string }; phoneNumber?: string } }) =>
      o.status === 'ok' ? `ok(${o.reply?.data?.phoneNumber ?? o.reply?.phoneNumber ?? 'no number'})` : `${o.status}(${o.reason})`,
    )
    console.log(`root: ${ROOT}`)
    console.log(`prepare(): ${JSON.stringify({ status: prepared.status, loggedIn: prepared.loggedIn, reason: prepared.reason })}`)
    console.log(`5 taps:    ${shown.join(', ')}`)
    console.log(`wx.login:  ${world.wechat.calls.filter((c: { api: string }) => c.api === 'login').length} in total (${world.wechat.calls.length} login+checkSession calls)`)
  } finally {
    await companion.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
