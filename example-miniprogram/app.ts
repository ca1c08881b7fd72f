import { createSessionGuard } from 'miniprogram-session-guard'
import { SERVER, SIMULATED_WECHAT } from './config'
import { createSimulatedWeChat, currentAppId, simulatedWeChatOn } from './simulated-wechat'

// Development only: with the tourist appid, WeChat's own codes cannot be exchanged, so the guard talks to the companion's simulated WeChat.
const simulatedWeChat = simulatedWeChatOn(SIMULATED_WECHAT, currentAppId()) ? createSimulatedWeChat(SERVER) : undefined

// The simulated WeChat answers login/checkSession; requests and storage stay WeChat's own.
const guardWx = simulatedWeChat
  ? { ...simulatedWeChat.wx, request: wx.request, getStorageSync: wx.getStorageSync, setStorageSync: wx.setStorageSync, removeStorageSync: wx.removeStorageSync }
  : undefined

App({
  simulatedWeChat,
  // The guard keeps the companion's session token: it sends it on /open-data and on guard.request, and logs in again when it expires.
  sessionGuard: createSessionGuard({
    ...(guardWx ? { wx: guardWx } : {}),
    url: `${SERVER}/open-data`,
    loginUrl: `${SERVER}/login`,
  }),
  onShow() {
    // Logs in only without a session token, or when checkSession fails: it never rotates a valid key.
    void this.sessionGuard.prepare()
  },
})
