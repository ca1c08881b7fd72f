// One companion instance, as a separate process: the built server package behind node:http.
// Env: PORT, WECHAT_BASE_URL, APP_ID, APP_SECRET, REDIS_URL and REDIS_PREFIX (Redis store when set, memory otherwise),
// SESSION_SECRET (the companion issues and checks its own tokens; otherwise the x-openid header says who asks).
const { createServer } = require('node:http')
const Redis = require('ioredis')
const { createOpenDataHandler, createWeChatApi, createHttpHandler, RedisStore, MemoryStore } = require('../../server_dist')

const { PORT, WECHAT_BASE_URL, APP_ID, APP_SECRET, REDIS_URL, REDIS_PREFIX, SESSION_SECRET } = process.env
const redis = REDIS_URL ? new Redis(REDIS_URL) : undefined
const store = redis
  ? new RedisStore({ eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args) }, { prefix: REDIS_PREFIX })
  : new MemoryStore()
const api = createWeChatApi({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: WECHAT_BASE_URL })
const handler = createOpenDataHandler({ appId: APP_ID, api, store })
const http = createHttpHandler(handler, SESSION_SECRET ? { sessionSecret: SESSION_SECRET } : { identify: (req) => req.headers['x-openid'] })

const server = createServer((req, res) => {
  if (req.url === '/forget') {
    store.delete('openid-of-the-user').then(() => res.end('{}'))
    return
  }
  http(req, res)
})
server.listen(Number(PORT), '127.0.0.1', () => process.send && process.send('ready'))
process.on('message', (m) => {
  if (m === 'stop') server.close(() => (redis ? redis.quit() : Promise.resolve()).then(() => process.exit(0)))
})
