/** npm run example:server — the companion on loopback for the example mini program and the devtools. */
import { startExampleServer } from '../example-server/companion'

startExampleServer({ port: Number(process.env.PORT || 3000), appId: process.env.WX_APPID, appSecret: process.env.WX_SECRET, sessionSecret: process.env.SESSION_SECRET })
  .then(({ url, real }) => {
    console.log(`session-guard companion on ${url} (${real ? 'real WeChat API' : 'simulated WeChat API'})`)
    console.log('  POST /login      { code }                                         → { ok, token, expiresIn }')
    console.log('  POST /open-data  { code, sessionKeyValidFlag, iv, encryptedData } → { ok, data } | { ok: false, reason }')
    console.log('  GET  /me         Authorization: Bearer <token>                    → { ok, user } | 401 { ok: false, reason: SESSION_EXPIRED }')
  })
  .catch((error) => {
    console.error(error)
    process.exit(1)
  })
