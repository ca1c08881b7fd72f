/** The companion started by `npm run example:server` (tick "不校验合法域名" in the devtools). */
export const SERVER = 'http://127.0.0.1:3000'

/**
 * Development only. 'auto': wx.login/checkSession and the phone consent come from the companion's
 * simulated WeChat (/dev-wechat) while the project runs with the tourist appid, and from WeChat
 * itself as soon as a real appid is configured. true/false force it.
 */
export const SIMULATED_WECHAT: boolean | 'auto' = 'auto'
