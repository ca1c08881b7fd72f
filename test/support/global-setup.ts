import { redisAvailable } from './redis'

/**
 * Runs once before the suites: one loud line when the Redis suites will skip, and a failed run
 * where Redis is mandatory (CI sets SESSION_GUARD_REQUIRE_REDIS=1).
 */
export default async function globalSetup(): Promise<void> {
  if (redisAvailable()) return
  if (process.env.SESSION_GUARD_REQUIRE_REDIS === '1') {
    throw new Error('SESSION_GUARD_REQUIRE_REDIS=1, but there is no redis-server on PATH and no REDIS_URL')
  }
  process.stderr.write(
    '\n!!! SKIPPING the Redis suites: no redis-server on PATH and no REDIS_URL. Install redis-server (apt-get install redis-server) or set REDIS_URL=redis://host:port to run them.\n\n',
  )
}
