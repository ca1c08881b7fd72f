import { createSessionGuard } from 'miniprogram-session-guard'
import { SERVER, SIMULATED_WECHAT } from './config'
import { createSimulatedWeChat, currentAppId, simulatedWeChatOn } from './simulated-wechat'

let token = ''

/** POSTs JSON to the companion; remembers the session token it hands out after each code exchange. */
function post(path: string, data: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: SERVER + path,
      method: 'POST',
      data: data as WechatMiniprogram.IAnyObject,
      header: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      success: (res) => {
        const body = res.data as { token?: string }
        if (body && typeof body.token === 'string') token = body.token
        resolve(res.data)
      },
      fail: reject,
    })
  })
}

// Development only: with the tourist appid, WeChat's own codes cannot be exchanged, so the guard talks to the companion's simulated WeChat.
const simulatedWeChat = simulatedWeChatOn(SIMULATED_WECHAT, currentAppId()) ? createSimulatedWeChat(SERVER) : undefined

App({
  simulatedWeChat,
  sessionGuard: createSessionGuard({
    ...(simulatedWeChat ? { wx: simulatedWeChat.wx } : {}),
    send: (payload) => post('/open-data', payload),
    sendLogin: (code) => post('/login', { code }),
  }),
  onShow() {
    // Warms the session; logs in only when checkSession fails, so it never rotates a valid key.
    void this.sessionGuard.prepare()
  },
})
