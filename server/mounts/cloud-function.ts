import { configError } from '../common/errors'
import type { OpenDataContext, OpenDataHandler } from '../protocol/handler'

export interface CloudFunctionEvent {
  action?: 'login' | 'openData'
  payload?: unknown
  code?: string
}

/** The slice of wx-server-sdk's `cloud` the adapter uses. */
export interface CloudLike {
  getWXContext(): { OPENID?: string }
  getOpenData?(options: { list: string[] }): Promise<{ list?: { cloudID?: string; json?: string; data?: unknown }[] }>
}

export type CloudFunctionOptions = { cloud: CloudLike } | ((event: CloudFunctionEvent) => string | undefined)

/** cloud.getOpenData answers `{ list: [{ cloudID, json: '{"cloudID":…,"data":{…}}' }] }`. */
function cloudIdOpener(cloud: CloudLike): OpenDataContext['openCloudID'] {
  if (!cloud.getOpenData) return undefined
  return async (cloudID) => {
    const result = await (cloud.getOpenData as NonNullable<CloudLike['getOpenData']>)({ list: [cloudID] })
    const item = result && Array.isArray(result.list) ? result.list.find((i) => i && i.cloudID === cloudID) || result.list[0] : undefined
    const parsed = item && (item.data !== undefined ? item : typeof item.json === 'string' ? JSON.parse(item.json) : undefined)
    const data = parsed && parsed.data
    if (!data || typeof data !== 'object') throw new Error('cloud.getOpenData answered without data')
    return data as Record<string, unknown>
  }
}

/**
 * A WeChat cloud function main: `exports.main = createCloudFunction(handler, { cloud })`. The
 * caller's openid comes only from the platform (`cloud.getWXContext()`, or your `getOpenid`), never
 * from the event body, which the caller writes.
 */
export function createCloudFunction(handler: OpenDataHandler, options: CloudFunctionOptions) {
  const getOpenid =
    typeof options === 'function' ? options : options && options.cloud && typeof options.cloud.getWXContext === 'function' ? () => options.cloud.getWXContext().OPENID : undefined
  if (!getOpenid) throw configError('createCloudFunction needs { cloud } (wx-server-sdk) or getOpenid reading the trusted context')
  const context: OpenDataContext = typeof options === 'function' ? {} : { openCloudID: cloudIdOpener(options.cloud) }
  return async (event: CloudFunctionEvent) => {
    if (event && event.action === 'login') return (await handler.login({ code: event.code })).reply
    return (await handler.openData(event && event.payload, getOpenid(event), context)).reply
  }
}
