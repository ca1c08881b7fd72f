/**
 * The protocol step by step against a companion serving the simulated WeChat: what `npm run try` prints
 * and what the curl walkthrough in docs/example.md does. Each step is a real HTTP request; nothing is faked here.
 */

export interface WalkStep {
  title: string
  method: 'GET' | 'POST'
  path: string
  body?: Record<string, unknown>
  status: number
  reply: Record<string, unknown>
}

export const WALK_TIMEOUT_MS = 5000

/** Long base64 fields shortened for reading; the request itself carries them whole. */
export function shorten(value: unknown): string {
  return JSON.stringify(value, (key, v) => (typeof v === 'string' && v.length > 32 && (key === 'encryptedData' || key === 'iv') ? `${v.slice(0, 16)}…` : v))
}

export function formatStep(step: WalkStep, index: number): string {
  return [
    `${index + 1}. ${step.title}`,
    `   → ${step.method} ${step.path}${step.body ? ` ${shorten(step.body)}` : ''}`,
    `   ← ${step.status} ${shorten(step.reply)}`,
  ].join('\n')
}

type Consent = { iv: string; encryptedData: string }

/** Walks login → flag '1' → key rotation → DECRYPT_FAILED → recovery with flag '0'; calls `print` after each step. */
export async function walkthrough(baseUrl: string, print: (step: WalkStep, index: number) => void = () => undefined): Promise<WalkStep[]> {
  const steps: WalkStep[] = []
  let token = ''
  const call = async (title: string, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const response = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(WALK_TIMEOUT_MS),
    })
    const reply = (await response.json()) as Record<string, unknown>
    const step: WalkStep = { title, method: 'POST', path, body, status: response.status, reply }
    steps.push(step)
    print(step, steps.length - 1)
    if (reply.reason === 'SIMULATED_WECHAT_OFF') throw new Error(`${baseUrl} runs with real WeChat credentials: the walkthrough needs the simulated WeChat`)
    return reply
  }
  const consent = async (title: string): Promise<Consent> => (await call(title, '/dev-wechat/consent')) as unknown as Consent
  const send = (title: string, code: string, flag: '0' | '1', data: Consent) =>
    call(title, '/open-data', { code, sessionKeyValidFlag: flag, iv: data.iv, encryptedData: data.encryptedData })

  const first = await call('wx.login（模拟）：拿一个 5 分钟、只能用一次的登录 code', '/dev-wechat/login')
  const login = await call('登录：服务端用 code 换 session_key 并存下，回一个 token', '/login', { code: first.code })
  token = String(login.token || '')
  const sealed = await consent('用户点"允许"：微信用当前 key 加密手机号')
  await send("key 有效，发 flag '1'（code 为空）：服务端用存的 key 解密", '', '1', sealed)
  await call('另一台设备登录：微信换了 key，服务端还拿着旧的', '/dev-wechat/rotate-key')
  const resealed = await consent('用户再点"允许"：这次用新 key 加密')
  await send("再发 flag '1'：旧 key 解不开 → DECRYPT_FAILED", '', '1', resealed)
  const fresh = await call('恢复：wx.login 拿新 code（这次登录可能又换了 key）', '/dev-wechat/login')
  const again = await consent('登录之后再取一次授权数据：用登录后的 key 加密')
  await send("发 flag '0' 带上新 code：服务端换 key、存下、解密成功", String(fresh.code), '0', again)
  return steps
}
