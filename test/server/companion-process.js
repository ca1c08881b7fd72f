// One companion instance, as a separate process: the built server package behind node:http.
// Env: PORT, WECHAT_BASE_URL, APP_ID, APP_SECRET, REDIS_URL and REDIS_PREFIX (Redis store when set, memory otherwise),
// SESSION_SECRET (the companion issues and checks its own tokens; otherwise the x-openid header says who asks),
// REDIS_ADAPTER (a module exporting `redisStore(url, options)`: the store comes from it instead of a plain ioredis client),
// PREVIOUS_KEY_GRACE_MS and STORE_TIMEOUT_MS (the handler's options of those names).
const { createServer } = require('node:http')
const Redis = require('ioredis')
const { createOpenDataHandler, createWeChatApi, createHttpHandler, RedisStore, MemoryStore } = require('../../server_dist')

const { PORT, WECHAT_BASE_URL, APP_ID, APP_SECRET, REDIS_URL, REDIS_PREFIX, REDIS_ADAPTER, SESSION_SECRET, PREVIOUS_KEY_GRACE_MS, STORE_TIMEOUT_MS } = process.env

function plainStore() {
  const redis = new Redis(REDIS_URL)
  const store = new RedisStore({ eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args) }, { prefix: REDIS_PREFIX })
  return { store, close: () => redis.quit() }
}

function adapterStore() {
  const made = require(REDIS_ADAPTER).redisStore(REDIS_URL, { prefix: REDIS_PREFIX })
  return { store: made.store, close: () => made.client.quit() }
}

const { store, close } = !REDIS_URL ? { store: new MemoryStore(), close: async () => undefined } : REDIS_ADAPTER ? adapterStore() : plainStore()
const api = createWeChatApi({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: WECHAT_BASE_URL })
const options = { appId: APP_ID, api, store }
if (PREVIOUS_KEY_GRACE_MS) options.previousKeyGraceMs = Number(PREVIOUS_KEY_GRACE_MS)
if (STORE_TIMEOUT_MS) options.storeTimeoutMs = Number(STORE_TIMEOUT_MS)
const handler = createOpenDataHandler(options)
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
  if (m === 'stop') server.close(() => Promise.resolve(close()).catch(() => undefined).then(() => process.exit(0)))
})
