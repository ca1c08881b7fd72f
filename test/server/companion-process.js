// One companion instance, as a separate process: the built server package behind node:http.
// Env: PORT, WECHAT_BASE_URL, APP_ID, APP_SECRET, REDIS_URL and REDIS_PREFIX (Redis store when set, memory otherwise),
// SESSION_SECRET (the companion issues and checks its own tokens; otherwise the x-openid header says who asks),
// REDIS_ADAPTER (the source of a docs sample exporting `redisStore(url, options)`, or `clusterStore(nodes, options)` with
// REDIS_CLUSTER_NODES as JSON: the store comes from it instead of a plain ioredis client; the companion listens once its client is ready),
// PREVIOUS_KEY_GRACE_MS and STORE_TIMEOUT_MS (the handler's options of those names).
const { createServer } = require('node:http')
const { setTimeout, clearTimeout } = require('node:timers')
const Redis = require('ioredis')
const { createOpenDataHandler, createWeChatApi, createHttpHandler, RedisStore, MemoryStore } = require('../../server_dist')

const { PORT, WECHAT_BASE_URL, APP_ID, APP_SECRET, REDIS_URL, REDIS_CLUSTER_NODES, REDIS_PREFIX, REDIS_ADAPTER, SESSION_SECRET, PREVIOUS_KEY_GRACE_MS, STORE_TIMEOUT_MS } = process.env

function plainStore() {
  const redis = new Redis(REDIS_URL)
  const store = new RedisStore({ eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args) }, { prefix: REDIS_PREFIX })
  return { store, close: () => redis.quit() }
}

/** The sample runs as written, with the package name pointing at the built companion. */
function loadSample(code) {
  const module = { exports: {} }
  const load = (id) => require(id === 'miniprogram-session-guard/server' ? '../../server_dist' : id)
  new Function('require', 'module', 'exports', code)(load, module, module.exports)
  return module.exports
}

function adapterStore() {
  const adapter = loadSample(REDIS_ADAPTER)
  const made = REDIS_CLUSTER_NODES ? adapter.clusterStore(JSON.parse(REDIS_CLUSTER_NODES), { prefix: REDIS_PREFIX }) : adapter.redisStore(REDIS_URL, { prefix: REDIS_PREFIX })
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Redis client was not ready within 10 s')), 10_000)
    made.client.once('ready', () => (clearTimeout(timer), resolve()))
  })
  return { store: made.store, close: () => made.client.quit(), ready }
}

const { store, close, ready } = REDIS_ADAPTER ? adapterStore() : REDIS_URL ? plainStore() : { store: new MemoryStore(), close: async () => undefined }
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
Promise.resolve(ready).then(
  () => server.listen(Number(PORT), '127.0.0.1', () => process.send && process.send('ready')),
  (error) => (console.error(error.message), process.exit(1)),
)
process.on('message', (m) => {
  if (m === 'stop') server.close(() => Promise.resolve(close()).catch(() => undefined).then(() => process.exit(0)))
})
