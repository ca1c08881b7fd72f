import type { GuardConfig } from '../config/config'
import { Deadline } from '../primitives/deadline'
import { phaseFailure } from './deliver'
import { established, reasonOf, startPhase } from '../wx-session/login-phase'
import type { LoginOutcome, PrepareOutcome } from '../wire/outcome'
import type { WxSession } from '../wx-session/wx-session'

/** guard.prepare: logs in only when the session is known to need it; never rotates a valid key. */
export async function prepareSession<R>(session: WxSession, config: GuardConfig<R>): Promise<PrepareOutcome> {
  const deadline = Deadline.after(config.timeout, session.timers)
  try {
    // A login in flight is joined. Without a session token the app's server does not know the user,
    // whatever checkSession says.
    if (!session.phase && !session.needsLogin && !config.app.missing()) {
      const check = await session.checkSession(deadline, config.emit)
      // WeChat said nothing: logging in could rotate a valid key, so don't.
      if (check === 'unknown') return { status: 'failed', reason: 'TIMEOUT' }
      if (check === 'valid' && !session.needsLogin) return { status: 'ok', loggedIn: false }
    }
    return await loginNow(session, config, deadline)
  } catch (error) {
    return { status: 'failed', reason: reasonOf(error), error }
  } finally {
    deadline.finish()
  }
}

/** guard.login and the re-login of guard.request: joins the login in flight, or starts one through the login route. */
export async function loginNow<R>(session: WxSession, config: GuardConfig<R>, deadline: Deadline): Promise<LoginOutcome> {
  if (!session.phase && !config.sendLogin) return { status: 'failed', reason: 'NO_LOGIN_ROUTE' }
  try {
    const result = await deadline.race(startPhase(session, config, 'login').current.done, 'login')
    return established(result) ? { status: 'ok', loggedIn: true } : { status: 'failed', ...phaseFailure(result) }
  } catch (error) {
    return { status: 'failed', reason: reasonOf(error), error }
  }
}
