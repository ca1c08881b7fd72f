import type { OpenDataHandler } from './handler'

export interface CloudFunctionEvent {
  action?: 'login' | 'openData'
  payload?: unknown
  code?: string
  userInfo?: { openId?: string }
}

/**
 * A WeChat cloud function main: `exports.main = createCloudFunction(handler, () => cloud.getWXContext().OPENID)`.
 * WeChat itself vouches for the caller's openid there, so flag-'1' requests need no token.
 */
export function createCloudFunction(handler: OpenDataHandler, getOpenid?: (event: CloudFunctionEvent) => string | undefined) {
  return async (event: CloudFunctionEvent) => {
    const openid = getOpenid ? getOpenid(event) : event && event.userInfo && event.userInfo.openId
    if (event && event.action === 'login') return (await handler.login({ code: event.code })).reply
    return (await handler.openData(event && event.payload, openid)).reply
  }
}
