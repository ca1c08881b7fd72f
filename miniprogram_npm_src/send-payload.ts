import type { GuardConfig, Send } from './config'
import type { Deadline } from './deadline'
import { renameFields, type OpenDataPayload } from './protocol'
import { redactRecord } from './redact'

/** One open-data request, bounded by the call's deadline; diagnostics see it redacted. */
export function sendPayload<R>(config: GuardConfig<R>, send: Send<R>, payload: OpenDataPayload, deadline: Deadline): Promise<unknown> {
  const carriesCode = payload.code !== ''
  const { emit } = config
  if (emit) emit({ type: 'send', carriesCode, payload: redactRecord({ ...payload }) })
  let sent: Promise<unknown>
  try {
    sent = Promise.resolve(send(renameFields(payload, config.fields)))
  } catch (error) {
    sent = Promise.reject(error)
  }
  const request = deadline.race(sent, 'request')
  if (!emit) return request
  return request.catch((error: unknown) => {
    emit({ type: 'reply', carriesCode, kind: 'lost' })
    throw error
  })
}
