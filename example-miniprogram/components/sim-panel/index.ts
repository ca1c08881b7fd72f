import type { Outcome, SessionGuard } from 'miniprogram-session-guard'
import type { Provocation, SimulatedWeChat } from '../../simulated-wechat'
import { callsSpent, outcomeWord, tally } from './outcome-words'

type ExampleApp = { sessionGuard: SessionGuard; simulatedWeChat?: SimulatedWeChat }
const MAX_LINES = 8

function parts() {
  const app = getApp<ExampleApp>()
  if (!app.simulatedWeChat) throw new Error('sim-panel needs the simulated WeChat (config.ts SIMULATED_WECHAT)')
  return { guard: app.sessionGuard, sim: app.simulatedWeChat }
}

/** One tap the way phone-number-button does it: hold logins from the press until the consent arrives. */
async function tapOnce(): Promise<Outcome> {
  const { guard, sim } = parts()
  const release = guard.holdLogins()
  let pending: Promise<Outcome>
  try {
    pending = guard.getPhoneNumber(await sim.consent())
  } catch (error) {
    return { status: 'failed', reason: 'WX_FAIL', error }
  } finally {
    release()
  }
  return pending
}

/** A tap; when the guard answers retry, the one more tap it promises will work. */
async function tapAndRetapOnRetry(): Promise<{ outcome: Outcome; words: string }> {
  const first = await tapOnce()
  if (first.status !== 'retry') return { outcome: first, words: outcomeWord(first) }
  const again = await tapOnce()
  return { outcome: again, words: `${outcomeWord(first)} → 再点一次：${outcomeWord(again)}` }
}

// DEVELOPMENT ONLY: provokes the races against the companion's simulated WeChat and shows how the guard ends up.
Component({
  data: { calls: { login: 0, checkSession: 0 }, lines: [] as string[], busy: false },
  lifetimes: {
    attached() {
      const { sim } = parts()
      this.setData({ calls: { ...sim.calls } })
      const off = sim.onCalls((calls) => this.setData({ calls }))
      ;(this as unknown as { off: () => void }).off = off
    },
    detached() {
      ;(this as unknown as { off?: () => void }).off?.()
    },
  },
  methods: {
    async run(label: string, act: () => Promise<{ outcome: Outcome; words: string }>) {
      if (this.data.busy) return
      const { sim } = parts()
      const before = { ...sim.calls }
      this.setData({ busy: true })
      try {
        const { outcome, words } = await act()
        const line = `${label}：${words} · ${callsSpent(before, sim.calls)}`
        this.setData({ lines: [line, ...this.data.lines].slice(0, MAX_LINES) })
        this.triggerEvent('result', outcome)
      } catch (error) {
        this.setData({ lines: [`${label}：${(error as Error).message}`, ...this.data.lines].slice(0, MAX_LINES) })
      } finally {
        this.setData({ busy: false })
      }
    },
    provokeThenTap(label: string, what: Provocation) {
      return this.run(label, async () => {
        await parts().sim.provoke(what)
        return tapAndRetapOnRetry()
      })
    },
    onPhone() {
      return this.run('手机号快捷登录', async () => {
        const outcome = await tapOnce()
        return { outcome, words: outcomeWord(outcome) }
      })
    },
    onFiveTaps() {
      return this.run('连点 5 次', async () => {
        const outcomes = await Promise.all([tapOnce(), tapOnce(), tapOnce(), tapOnce(), tapOnce()])
        return { outcome: outcomes.find((o) => o.status === 'ok') || outcomes[0], words: tally(outcomes) }
      })
    },
    onRotate() {
      return this.provokeThenTap('模拟 key 轮换', 'rotate-key')
    },
    onLoseKey() {
      return this.provokeThenTap('服务端丢失 key', 'lose-server-key')
    },
    onExpire() {
      return this.provokeThenTap('会话过期', 'expire')
    },
  },
})
