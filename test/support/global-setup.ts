import { redisAvailable } from './redis'
import { clusterAvailable } from './redis-cluster'

/**
 * Runs once before the suites: one loud line when the Redis (or Redis Cluster) suites will skip,
 * and a failed run where Redis is mandatory (CI sets SESSION_GUARD_REQUIRE_REDIS=1).
 */
export default async function globalSetup(): Promise<void> {
  const missing: string[] = []
  if (!redisAvailable()) missing.push('the Redis and Redis Cluster suites: no redis-server on PATH and no REDIS_URL')
  else if (!clusterAvailable()) missing.push('the Redis Cluster suites: they need redis-server and redis-cli on PATH')
  if (missing.length === 0) return
  if (process.env.SESSION_GUARD_REQUIRE_REDIS === '1') {
    throw new Error(`SESSION_GUARD_REQUIRE_REDIS=1, but it would skip ${missing.join('; ')}`)
  }
  process.stderr.write(
    `\n!!! SKIPPING ${missing.join('; and ')}. Install redis-server and redis-tools (apt-get install redis-server redis-tools) or set REDIS_URL=redis://host:port to run them.\n\n`,
  )
}
