/** npm run example:server — the companion on loopback for the example mini program and the devtools. */
import { startExampleServer } from '../example-server/companion'
import { decideWeChatMode, describeWeChatMode, DEV_SWITCH } from '../example-server/wechat-mode'
import { describePolicies, policiesFrom } from '../simulator/model/policy-names'

/**
 * Stops on Ctrl-C (SIGINT to the whole group) and on SIGTERM. `npm run` starts us through `sh -c`, and a
 * SIGTERM to npm reaches only that shell, which dies without passing it on: we notice by being handed to
 * a new parent, and stop too. Closing is bounded: after 2 s we exit whatever connections still hang.
 */
function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(0), 2000).unref()
    close().finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && stop(), 250).unref()
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const { env } = process
  // Decided before anything listens: a refused configuration never serves a single request.
  const mode = decideWeChatMode(env, argv)
  const policies = policiesFrom(argv, env)
  const credentials = mode.kind === 'real' ? { appId: mode.appId, appSecret: mode.appSecret, wechatApiBase: env.WECHAT_API_BASE } : {}
  const lifetime = env.SESSION_LIFETIME_SECONDS ? Number(env.SESSION_LIFETIME_SECONDS) : undefined
  const { url, real, close } = await startExampleServer({
    port: Number(env.PORT || 3000),
    ...credentials,
    sessionSecret: env.SESSION_SECRET,
    sessionLifetimeSeconds: lifetime,
    policies,
  })
  stopOnSignals(close)
  console.log(describeWeChatMode(mode))
  const api = real ? (env.WECHAT_API_BASE ? `WeChat API at ${env.WECHAT_API_BASE}` : 'real WeChat API') : 'simulated WeChat API'
  console.log(`session-guard companion on ${url} (${api})`)
  console.log('  POST /login      { code }                                         → { ok, token, expiresIn }')
  console.log('  POST /open-data  { code, sessionKeyValidFlag, iv, encryptedData } → { ok, data } | { ok: false, reason }')
  console.log('  GET  /me         Authorization: Bearer <token>                    → { ok, user } | 401 { ok: false, reason: SESSION_EXPIRED }')
  if (real) {
    console.log('  /dev-wechat/*    refused: the simulated WeChat is off while WX_APPID/WX_SECRET are set')
    return
  }
  console.log(`\n  DEVELOPMENT ONLY — a simulated WeChat on the same port (never with real credentials, never with NODE_ENV=production; ${DEV_SWITCH}=1 forces it on):`)
  console.log(`  policies: ${describePolicies(policies)}  (--rotation=always|min-period|expired-only, --expired-consent=expired-key|fresh-key, or SIM_ROTATION / SIM_EXPIRED_CONSENT)`)
  console.log('  POST /dev-wechat/login | check-session | consent | rotate-key | expire | lose-server-key,  GET /dev-wechat')
  console.log('  walkthrough: npm run try')
}

main().catch((error) => {
  console.error(`example:server did not start: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
})
