/** The companion started by `npm run example:server` (tick "不校验合法域名" in the devtools). */
export const SERVER = 'http://127.0.0.1:3000'
