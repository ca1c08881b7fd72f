import type { ExpiredConsentPolicy, Policies, RotationPolicy } from './wechat'

/**
 * The model's policies in plain words, and how a person picks them: a flag
 * (`--rotation=min-period`) or an environment variable (`SIM_ROTATION=min-period`).
 */

export const ROTATION_WORDS: Record<RotationPolicy, string> = {
  always: 'every wx.login gives a new key',
  'min-period': 'a new key at most every 3 s',
  'expired-only': 'a new key only after expiry',
}

export const EXPIRED_CONSENT_WORDS: Record<ExpiredConsentPolicy, string> = {
  'expired-key': 'consent in an expired session is sealed with the old key',
  'fresh-key': 'consent in an expired session is sealed with a new key only a new code can fetch',
}

/** For table cells: when wx.login gives a new key, and what seals consent in an expired session. */
export const ROTATION_SHORT: Record<RotationPolicy, string> = { always: 'every login', 'min-period': 'at most every 3 s', 'expired-only': 'only after expiry' }
export const EXPIRED_CONSENT_SHORT: Record<ExpiredConsentPolicy, string> = { 'expired-key': 'the old key', 'fresh-key': 'a new key' }

export const DEFAULT_POLICIES: Policies = { rotation: 'always', expiredConsent: 'expired-key' }

/** One line a newcomer reads: "every wx.login gives a new key; consent in an expired session …". */
export function describePolicies(policies: Policies): string {
  return `${ROTATION_WORDS[policies.rotation]}; ${EXPIRED_CONSENT_WORDS[policies.expiredConsent]}`
}

export class PolicyOptionError extends Error {
  readonly code = 'BAD_POLICY'
}

function pick<T extends string>(name: string, value: string | undefined, choices: Record<T, string>, fallback: T): T {
  if (value === undefined || value === '') return fallback
  if (Object.prototype.hasOwnProperty.call(choices, value)) return value as T
  throw new PolicyOptionError(`${name} must be one of ${Object.keys(choices).join(', ')}; got "${value}"`)
}

function flag(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`
  const found = argv.find((arg) => arg.startsWith(prefix))
  return found === undefined ? undefined : found.slice(prefix.length)
}

/** Flags win over environment variables; anything unknown throws a PolicyOptionError naming the choices. */
export function policiesFrom(argv: readonly string[], env: Record<string, string | undefined>): Policies {
  return {
    rotation: pick('rotation (--rotation / SIM_ROTATION)', flag(argv, 'rotation') ?? env.SIM_ROTATION, ROTATION_WORDS, DEFAULT_POLICIES.rotation),
    expiredConsent: pick(
      'expired consent (--expired-consent / SIM_EXPIRED_CONSENT)',
      flag(argv, 'expired-consent') ?? env.SIM_EXPIRED_CONSENT,
      EXPIRED_CONSENT_WORDS,
      DEFAULT_POLICIES.expiredConsent,
    ),
  }
}
