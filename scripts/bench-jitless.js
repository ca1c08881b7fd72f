/* global setTimeout, clearTimeout */
// One measurement under `node --jitless` (iOS runs mini program JS on JavaScriptCore without a JIT),
// printed as JSON for scripts/bench.ts, which runs this file in fresh processes and takes medians.
// Plain JS on purpose: tsx's loader would cost more than what is measured.
//
//   node --jitless scripts/bench-jitless.js startup <package index.js>   evaluate, create, first prepare(), first tap
//   node --jitless scripts/bench-jitless.js startup-bare <bench-clients.js>
//   node --jitless scripts/bench-jitless.js request <package index.js>   µs per guard.request and per raw promisified wx.request
//   node --jitless scripts/bench-jitless.js tap <package index.js> <bench-clients.js>   µs per tap: guard, bare, bounded
'use strict'

var mode = process.argv[2]
var DETAIL = { errMsg: 'getPhoneNumber:ok', iv: 'r7BXXKkLb8qrSNn05n0qiA==', encryptedData: 'A'.repeat(342) + '==' }
var REPLY = { statusCode: 200, data: { ok: true, data: { phoneNumber: '13800138000' } }, header: {} }
var STORAGE_KEY = 'miniprogram-session-guard:session'

/** A returning user's phone whose WeChat answers at once: a valid session, a stored token. */
function instantWx() {
  var storage = new Map([[STORAGE_KEY, { token: 'token-of-a-returning-user' }]])
  return {
    login: function (o) { o.success({ code: 'c', errMsg: 'login:ok' }) },
    checkSession: function (o) { o.success({ errMsg: 'checkSession:ok' }) },
    request: bridgedRequest,
    getStorageSync: function (k) { return storage.has(k) ? storage.get(k) : '' },
    setStorageSync: function (k, v) { storage.set(k, v) },
    removeStorageSync: function (k) { storage.delete(k) },
  }
}

var REPLY_JSON = JSON.stringify(REPLY)

/**
 * wx.request as the least a mini program's base library does for it: the options cross to native as
 * JSON, and the answer comes back as JSON on a later task, from the host's timers. (The base library's
 * own checks and wrappers come on top.)
 */
function bridgedRequest(o) {
  JSON.stringify({ url: o.url, method: o.method, data: o.data, header: o.header, dataType: o.dataType, timeout: o.timeout })
  setTimeout(function () {
    o.success(JSON.parse(REPLY_JSON))
  }, 0)
}

function cpu(since) {
  var used = process.cpuUsage(since)
  return used.user + used.system
}

/**
 * The host's own first use of its timers and promises is no cost of the package: a mini program's
 * framework has used them long before. Node compiles its timer module on first use (≈0.4 ms under
 * --jitless), so both sides get it warm.
 */
function warmHost() {
  clearTimeout(setTimeout(function () {}, 1))
  return Promise.resolve().then(function () {})
}

var GUARD_OPTIONS = function (wx) { return { wx: wx, url: 'https://api.example.com/open-data', loginUrl: 'https://api.example.com/login' } }

/** createSessionGuard, the first prepare() and the first tap on a phone of its own, each timed into `out[prefix + step]`. */
function createPrepareTap(createSessionGuard, out, prefix) {
  var wx = instantWx()
  var t = process.cpuUsage()
  var guard = createSessionGuard(GUARD_OPTIONS(wx))
  out[prefix + 'create'] = cpu(t)
  t = process.cpuUsage()
  return guard.prepare().then(function (prepared) {
    out[prefix + 'prepare'] = cpu(t)
    t = process.cpuUsage()
    return guard.getPhoneNumber(DETAIL).then(function (tapped) {
      out[prefix + 'tap'] = cpu(t)
      if (prepared.status !== 'ok' || tapped.status !== 'ok') throw new Error('not served: ' + JSON.stringify([prepared, tapped]))
      return out
    })
  })
}

/**
 * Evaluate, then create + first prepare() + first tap; then the same again on a second phone in the same
 * process ('again*'): the code is compiled by then, so the difference is what first runs cost (compiling
 * each function the path calls, as JavaScriptCore and V8 both do lazily).
 */
function startup(file) {
  var out = {}
  var t = process.cpuUsage()
  var createSessionGuard = require(file).createSessionGuard
  out.evaluate = cpu(t)
  return createPrepareTap(createSessionGuard, out, '').then(function () {
    return createPrepareTap(createSessionGuard, out, 'again')
  })
}

function startupBare(file) {
  var wx = instantWx()
  var out = {}
  var t = process.cpuUsage()
  var bareTap = require(file).bareTap
  out.evaluate = cpu(t)
  t = process.cpuUsage()
  return bareTap(wx, rawRequest(wx, 'https://api.example.com/open-data'), DETAIL).then(function () {
    out.tap = cpu(t)
    return out
  })
}

/** What an app without the guard writes: wx.request as a promise. */
function rawRequest(wx, url) {
  return function (data) {
    return new Promise(function (resolve, reject) {
      wx.request({ url: url, method: 'POST', data: data, success: resolve, fail: reject })
    })
  }
}

/** µs per call of `call`, over `n` calls one after another (median of `rounds`). */
function perCall(call, n, rounds) {
  var results = []
  function round() {
    var t = process.cpuUsage()
    var i = 0
    function next() {
      if (i++ >= n) {
        results.push(cpu(t) / n)
        return results.length < rounds ? round() : median(results)
      }
      return call().then(next)
    }
    return next()
  }
  return round()
}

function median(xs) {
  var sorted = xs.slice().sort(function (a, b) { return a - b })
  return sorted[Math.floor(sorted.length / 2)]
}

/** guard.request and the raw promisified wx.request, alternating rounds so both see the same machine. */
function request(file) {
  var wx = instantWx()
  var guard = require(file).createSessionGuard(GUARD_OPTIONS(wx))
  var raw = function () {
    return new Promise(function (resolve, reject) {
      wx.request({ url: 'https://api.example.com/me', success: resolve, fail: reject })
    })
  }
  var viaGuard = function () { return guard.request({ url: 'https://api.example.com/me' }) }
  return alternate({ guard: viaGuard, raw: raw })
}

/** One tap: the guard, the bare client, and the bare client with the guard's duties (scripts/bench-clients.js). */
function tap(file, clientsFile) {
  var wx = instantWx()
  var guard = require(file).createSessionGuard({ wx: wx, send: send })
  var clients = require(clientsFile)
  function send() { return Promise.resolve(REPLY.data) }
  return alternate({
    guard: function () { return guard.getPhoneNumber(DETAIL) },
    bare: function () { return clients.bareTap(wx, send, DETAIL) },
    bounded: function () { return clients.boundedTap(wx, send, DETAIL) },
  })
}

/** Each call's median µs per call over interleaved rounds, after one warm-up round each. */
function alternate(calls) {
  var names = Object.keys(calls)
  var samples = {}
  names.forEach(function (name) { samples[name] = [] })
  var N = 500
  var ROUNDS = 7
  var chain = Promise.resolve()
  names.forEach(function (name) { chain = chain.then(function () { return perCall(calls[name], N, 1) }) })
  for (var r = 0; r < ROUNDS; r++) {
    names.forEach(function (name) {
      chain = chain.then(function () { return perCall(calls[name], N, 1) }).then(function (us) { samples[name].push(us) })
    })
  }
  return chain.then(function () {
    var out = {}
    names.forEach(function (name) { out[name] = median(samples[name]) })
    return out
  })
}

var run = { startup: startup, 'startup-bare': startupBare, request: request, tap: tap }[mode]
if (!run) throw new Error('mode: startup | startup-bare | request | tap')
warmHost()
  .then(function () { return run(process.argv[3], process.argv[4]) })
  .then(function (out) { console.log(JSON.stringify(out)) })
  .catch(function (error) {
    console.error(error)
    process.exit(1)
  })
