import type { DetailFailure, ParsedDetail } from './detail'
import { SessionGuardError } from '../errors/errors'
import { failed, type Outcome } from './outcome'

function errnoOf(failure: DetailFailure): { errno?: number } {
  return failure.errno === undefined ? {} : { errno: failure.errno }
}

/** The outcome of a detail in which WeChat said no: nothing was sent, and WeChat's errno rides along. */
export function outcomeOfDetailFailure<R>(failure: DetailFailure): Outcome<R> {
  if (failure.kind === 'denied') return { status: 'denied', errMsg: failure.errMsg, ...errnoOf(failure) }
  const reason = failure.kind === 'no-quota' ? 'NO_QUOTA' : failure.kind === 'privacy-not-declared' ? 'PRIVACY_NOT_DECLARED' : 'WX_FAIL'
  return { status: 'failed', reason, error: new SessionGuardError('INVALID_DETAIL', failure.errMsg), ...errnoOf(failure) }
}

/**
 * openData's fetch failed (it threw WeChat's fail result) or gave no sealed data: a refusal is
 * `denied`, a missing privacy declaration PRIVACY_NOT_DECLARED, anything else FETCH_FAILED carrying
 * what came back; WeChat's errno rides along when it gave one.
 */
export function outcomeOfFetchFailure<R>(parsed: ParsedDetail, raw: unknown, thrown: boolean): Outcome<R> {
  if (parsed.kind === 'denied' || parsed.kind === 'privacy-not-declared') return outcomeOfDetailFailure(parsed)
  // WeChat's errno comes along with its fail result (see `failed`).
  return failed<R>('FETCH_FAILED', parsed.kind === 'invalid' && !thrown ? parsed.error : raw)
}
