import { baidu } from './baidu'
import type { KitPlatform, PlatformName } from './kit-platform'
import { kuaishou } from './kuaishou'
import { qq } from './qq'
import { toutiao } from './toutiao'
import { weixin } from './weixin'

export const KIT_PLATFORMS: Record<PlatformName, KitPlatform> = { weixin, qq, toutiao, baidu, kuaishou }

export const PLATFORM_NAMES = Object.keys(KIT_PLATFORMS) as PlatformName[]

export function isPlatformName(value: string): value is PlatformName {
  return (PLATFORM_NAMES as string[]).includes(value)
}
