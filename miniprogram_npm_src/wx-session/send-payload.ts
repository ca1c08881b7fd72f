import type { GuardConfig, Send } from '../config/config'
import { dataReplyOf } from '../config/read-reply'
import type { Deadline } from '../primitives/deadline'
import type { OpenData, PhoneCodeData } from '../wire/detail'
import { renameFields, type OpenDataPayload, type SessionKeyValidFlag } from '../wire/protocol'
import { redactRecord } from '../wire/redact'

/**
 * The thread's payload for `data`, built field by field: one object shape on the hot path (a spread
 * of details of varying shapes cost more than everything else a tap does), and no absent field.
 */
export function payloadOf(data: OpenData | PhoneCodeData, code: string, sessionKeyValidFlag: SessionKeyValidFlag): OpenDataPayload {
  const payload: OpenDataPayload = { code, sessionKeyValidFlag }
  const { iv, encryptedData, dataKind } = data as Partial<OpenData>
  if (iv !== undefined) payload.iv = iv
  if (encryptedData !== undefined) payload.encryptedData = encryptedData
  if (data.phoneCode !== undefined) payload.phoneCode = data.phoneCode
  if (data.cloudID !== undefined) payload.cloudID = data.cloudID
  if (dataKind !== undefined) payload.dataKind = dataKind
  return payload
}

/**
 * One open-data request, bounded by the call's deadline; diagnostics see it redacted. `onSettled`
 * runs when the request itself settles, however long after the deadline that is.
 */
export function sendPayload<R>(
  config: GuardConfig<R>,
  send: Send<R>,
  payload: OpenDataPayload,
  deadline: Deadline,
  onSettled?: () => void,
): Promise<unknown> {
  const carriesCode = payload.code !== ''
  const { emit } = config
  if (emit) emit({ type: 'send', carriesCode, payload: redactRecord({ ...payload }) })
  let sent: Promise<unknown>
  try {
    const version = config.app.version()
    // A reply that carries a session token renews it, even one that comes after the deadline. A body
    // saying the token was refused (an app's own `send` sees no status) is an expired session, as a 401 is.
    sent = Promise.resolve(send(config.fields ? renameFields(payload, config.fields) : (payload as unknown as Record<string, string>))).then((reply) => {
      dataReplyOf({ statusCode: 200, data: reply }, version, config.app, config.classify)
      config.app.take(reply)
      return reply
    })
  } catch (error) {
    sent = Promise.reject(error)
  }
  if (onSettled) sent.then(onSettled, onSettled)
  const request = deadline.race(sent, 'request')
  if (!emit) return request
  return request.catch((error: unknown) => {
    emit({ type: 'reply', carriesCode, kind: 'lost' })
    throw error
  })
}
