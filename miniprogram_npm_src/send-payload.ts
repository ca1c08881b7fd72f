import type { GuardConfig, Send } from './config'
import type { Deadline } from './deadline'
import { renameFields, type OpenDataPayload } from './protocol'
import { redactRecord } from './redact'

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
    // A reply that carries a session token renews it, even one that comes after the deadline.
    sent = Promise.resolve(send(renameFields(payload, config.fields))).then((reply) => (config.app.take(reply), reply))
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
