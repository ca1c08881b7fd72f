/** bench:load's command line: what it runs, how much, and from where. */
import type { ServerRole } from './bench-load-server'

export interface Options {
  clients: number
  requests: number
  warmup: number
  repeats: number
  processes: number[]
  capMs: number
  only: ServerRole[]
  cpuProf?: string
  from: 'dist' | 'source'
}

export function parseOptions(argv: string[]): Options {
  const named = new Map(argv.filter((a) => a.startsWith('--')).map((a) => [a.slice(2).split('=')[0], a.split('=').slice(1).join('=')] as [string, string]))
  const int = (name: string, fallback: number) => {
    const value = named.has(name) ? Number(named.get(name)) : fallback
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`)
    return value
  }
  const roles: ServerRole[] = ['bare', 'companion-memory', 'companion-redis']
  const only = (named.get('only') || roles.join(',')).split(',') as ServerRole[]
  if (only.some((r) => !roles.includes(r))) throw new Error(`--only takes ${roles.join(',')}`)
  const from = named.get('from') || 'dist'
  if (from !== 'dist' && from !== 'source') throw new Error('--from takes dist or source')
  const processes = (named.get('processes') || '1,2').split(',').map(Number)
  if (processes.some((n) => !Number.isSafeInteger(n) || n <= 0 || n > 16)) throw new Error('--processes takes counts like 1,2')
  return {
    clients: int('clients', 200),
    requests: int('requests', 10_000),
    warmup: int('warmup', 2000),
    repeats: int('repeats', 3),
    processes,
    capMs: int('cap-ms', 30_000),
    only,
    cpuProf: named.get('cpu-prof') || undefined,
    from,
  }
}

// ---------- processes around the run: redis-server, the fake WeChat, the cluster workers ----------
