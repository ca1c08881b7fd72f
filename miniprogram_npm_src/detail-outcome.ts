import type { DetailFailure } from './detail'
import { SessionGuardError } from './errors'
import type { Outcome } from './outcome'

/** The outcome of a detail in which WeChat said no: nothing was sent, and WeChat's errno rides along. */
export function outcomeOfDetailFailure<R>(failure: DetailFailure): Outcome<R> {
  const errno = failure.errno === undefined ? {} : { errno: failure.errno }
  if (failure.kind === 'denied') return { status: 'denied', errMsg: failure.errMsg, ...errno }
  const reason = failure.kind === 'no-quota' ? 'NO_QUOTA' : failure.kind === 'privacy-not-declared' ? 'PRIVACY_NOT_DECLARED' : 'WX_FAIL'
  return { status: 'failed', reason, error: new SessionGuardError('INVALID_DETAIL', failure.errMsg), ...errno }
}
