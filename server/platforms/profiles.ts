import { baidu } from './baidu'
import { kuaishou } from './kuaishou'
import type { Platform } from './platform'
import type { PlatformProfile } from './profile'
import { qq } from './qq'
import { toutiao } from './toutiao'
import { weixin } from './weixin'

const PROFILES: Record<Platform, PlatformProfile> = { weixin, qq, toutiao, baidu, kuaishou }

export function profileOf(platform: Platform): PlatformProfile {
  return PROFILES[platform]
}
