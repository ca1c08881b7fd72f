import type { Outcome } from 'miniprogram-session-guard'
import type { SimulatedCalls } from '../../simulated-wechat'

/** "ok", "retry（DECRYPT_FAILED）", "failed（NETWORK）" … */
export function outcomeWord(outcome: Outcome): string {
  if (outcome.status === 'ok') return 'ok'
  if (outcome.status === 'denied') return 'denied'
  return `${outcome.status}（${outcome.reason}）`
}

/** "ok ×5", "ok ×4、retry（DECRYPT_FAILED） ×1" */
export function tally(outcomes: Outcome[]): string {
  const counts = new Map<string, number>()
  for (const outcome of outcomes) counts.set(outcomeWord(outcome), (counts.get(outcomeWord(outcome)) || 0) + 1)
  return Array.from(counts, ([word, n]) => `${word} ×${n}`).join('、')
}

/** "wx.login +1 · checkSession +2": the calls an action cost. */
export function callsSpent(before: SimulatedCalls, after: SimulatedCalls): string {
  return `wx.login +${after.login - before.login} · checkSession +${after.checkSession - before.checkSession}`
}
