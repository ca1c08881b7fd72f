/** npm run example:server — the companion on loopback for the example mini program and the devtools. */
import { startExampleServer } from '../example-server/companion'
import { decideWeChatMode, describeWeChatMode, DEV_SWITCH } from '../example-server/wechat-mode'
import { describePolicies, policiesFrom } from '../simulator/policy-names'

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  // Decided before anything listens: a refused configuration never serves a single request.
  const mode = decideWeChatMode(process.env, argv)
  const policies = policiesFrom(argv, process.env)
  const credentials = mode.kind === 'real' ? { appId: mode.appId, appSecret: mode.appSecret } : {}
  const { url, real } = await startExampleServer({ port: Number(process.env.PORT || 3000), ...credentials, sessionSecret: process.env.SESSION_SECRET, policies })
  console.log(describeWeChatMode(mode))
  console.log(`session-guard companion on ${url} (${real ? 'real WeChat API' : 'simulated WeChat API'})`)
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
