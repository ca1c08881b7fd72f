import type { GuardConfig } from '../config/config'
import { Deadline } from '../primitives/deadline'
import { phaseFailure } from './deliver'
import { established, reasonOf, startPhase } from '../wx-session/login-phase'
import type { LoginOutcome, PrepareOutcome } from '../wire/outcome'
import type { WxSession } from '../wx-session/wx-session'

const failure = (error: unknown): Extract<LoginOutcome, { status: 'failed' }> => ({ status: 'failed', reason: reasonOf(error), error })

/** guard.prepare: logs in only when the session is known to need it; never rotates a valid key. */
export function prepareSession<R>(session: WxSession, config: GuardConfig<R>): Promise<PrepareOutcome> {
  const deadline = Deadline.after(config.timeout, session.timers)
  let outcome: Promise<PrepareOutcome>
  try {
    // A login in flight is joined. Without a session token the app's server does not know the user,
    // whatever checkSession says.
    outcome =
      !session.phase && !session.needsLogin && !config.app.missing()
        ? session.checkSession(deadline, config.emit).then((check): PrepareOutcome | Promise<PrepareOutcome> => {
            // WeChat said nothing: logging in could rotate a valid key, so don't.
            if (check === 'unknown') return { status: 'failed', reason: 'TIMEOUT' }
            if (check === 'valid' && !session.needsLogin) return { status: 'ok', loggedIn: false }
            return loginNow(session, config, deadline)
          })
        : loginNow(session, config, deadline)
  } catch (error) {
    outcome = Promise.reject(error)
  }
  return outcome.then(null, failure).then((result) => {
    deadline.finish()
    return result
  })
}

/** guard.login and the re-login of guard.request: joins the login in flight, or starts one through the login route. */
export function loginNow<R>(session: WxSession, config: GuardConfig<R>, deadline: Deadline): Promise<LoginOutcome> {
  if (!session.phase && !config.sendLogin) return Promise.resolve({ status: 'failed', reason: 'NO_LOGIN_ROUTE' })
  try {
    return deadline
      .race(startPhase(session, config, 'login').current.done, 'login')
      .then((result): LoginOutcome => (established(result) ? { status: 'ok', loggedIn: true } : { status: 'failed', ...phaseFailure(result) }), failure)
  } catch (error) {
    return Promise.resolve(failure(error))
  }
}
