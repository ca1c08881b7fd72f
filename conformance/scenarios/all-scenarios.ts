import { codeScenarios } from './codes'
import { keyScenarios } from './keys'
import { phoneScenarios } from './phone-codes'
import { replyScenarios } from './replies'
import type { Scenario } from './scenario'
import { sealedDataScenarios } from './sealed-data'
import { tokenScenarios } from './tokens'

/** Every scenario, in the order the report lists them; reply-shapes last, it reads every reply before it. */
export const ALL_SCENARIOS: Scenario[] = [...keyScenarios, ...codeScenarios, ...tokenScenarios, ...sealedDataScenarios, ...phoneScenarios, ...replyScenarios]
