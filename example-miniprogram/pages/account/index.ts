import type { SessionGuard } from 'miniprogram-session-guard'
import { SERVER } from '../../config'

type Me = { ok: true; user: { id: string } }

// The app's own API through the guard: the session token rides along, and an expired one costs one
// shared login and one replay; no wx.login of this page's own.
Component({
  data: { userId: '', hint: '', loading: false },
  methods: {
    async load() {
      const guard = getApp<{ sessionGuard: SessionGuard }>().sessionGuard
      this.setData({ loading: true, hint: '' })
      try {
        const res = await guard.request({ url: `${SERVER}/me` })
        if (res.statusCode === 200) this.setData({ userId: (res.data as Me).user.id, loading: false })
        else this.setData({ hint: `登录已失效，请稍后再试（HTTP ${res.statusCode}）`, loading: false })
      } catch (error) {
        this.setData({ hint: `网络不可用（${(error as { errMsg?: string }).errMsg || 'request:fail'}）`, loading: false })
      }
    },
  },
})
