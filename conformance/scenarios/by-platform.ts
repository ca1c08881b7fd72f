import type { KitPlatform, PlatformName } from '../platforms/kit-platform'
import { ALL_SCENARIOS } from './all-scenarios'
import { phoneScenarios } from './phone-codes'
import { platformDataScenarios } from './platform-data'
import type { Scenario } from './scenario'

/** Scenarios that run only on some platforms; every other scenario runs on all five. */
export const ONLY_ON: Record<string, PlatformName[]> = {
  'no-watermark': ['qq', 'toutiao', 'kuaishou'],
  'baidu-padding': ['baidu'],
}

const PHONE_CODE_IDS = new Set(phoneScenarios.map((s) => s.id))

export function runsOn(scenario: Scenario, platform: KitPlatform): boolean {
  if (PHONE_CODE_IDS.has(scenario.id)) return platform.phoneCodes
  const only = ONLY_ON[scenario.id]
  return !only || only.includes(platform.name)
}

/**
 * The scenarios for one platform, in report order: the common ones (phone codes only where the
 * platform has them), its own before the reply-shape check, which reads every reply before it.
 */
export function scenariosFor(platform: KitPlatform, scenarios?: Scenario[]): Scenario[] {
  const all = scenarios || [...ALL_SCENARIOS.filter((s) => s.id !== 'reply-shapes'), ...platformDataScenarios, ...ALL_SCENARIOS.filter((s) => s.id === 'reply-shapes')]
  return all.filter((s) => runsOn(s, platform))
}
