/* global setTimeout, clearTimeout */
// The bench's yardsticks, written once: `npm run bench` runs this file as it is, and
// scripts/compile-miniprogram.js puts it into the probe mini program, so WeChat's compiler turns the
// very same code into what a phone runs. ES5 on purpose (a phone without the transform runs it too).

/** The least a client can do per tap: checkSession, then send with flag '1'. No check, no bound. */
function bareTap(wx, send, detail) {
  return new Promise(function (resolve) {
    wx.checkSession({
      success: function () {
        resolve(send({ code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }))
      },
    })
  })
}

var BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The same tap held to two of the guard's rules, and nothing else: the sealed data is checked before it
 * goes (base64, as the guard checks it), and the tap's waits share one bound (a timer, as the guard's
 * deadline arms one). No ordering against logins, no recovery: what is left between this and the guard
 * is the guard's own bookkeeping.
 */
function boundedTap(wx, send, detail, timeoutMs) {
  var sealed = detail && typeof detail.iv === 'string' && typeof detail.encryptedData === 'string'
  if (!sealed || detail.encryptedData.length % 4 !== 0 || !BASE64.test(detail.encryptedData) || !BASE64.test(detail.iv)) {
    return Promise.reject(new Error('invalid detail'))
  }
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () {
      reject(new Error('timed out'))
    }, timeoutMs || 10000)
    var settle = function (fn) {
      return function (value) {
        clearTimeout(timer)
        fn(value)
      }
    }
    wx.checkSession({
      success: function () {
        send({ code: '', sessionKeyValidFlag: '1', iv: detail.iv, encryptedData: detail.encryptedData }).then(settle(resolve), settle(reject))
      },
      fail: settle(reject),
    })
  })
}

module.exports = { bareTap: bareTap, boundedTap: boundedTap }
