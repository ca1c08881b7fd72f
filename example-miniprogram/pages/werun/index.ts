import type { Outcome, SessionGuard } from 'miniprogram-session-guard'

type WeRunReply = { ok: true; data: { stepInfoList: { timestamp: number; step: number }[] } }

Component({
  data: { steps: '' as string | number, hint: '', syncing: false },
  methods: {
    async sync() {
      const guard = getApp<{ sessionGuard: SessionGuard<WeRunReply> }>().sessionGuard
      this.setData({ syncing: true, hint: '' })
      // The guard runs wx.getWeRunData itself: no login can slip between WeChat sealing the data and the server opening it.
      const result: Outcome<WeRunReply> = await guard.openData(() => wx.getWeRunData())
      if (result.status === 'ok') {
        const list = result.reply.data.stepInfoList
        this.setData({ steps: list.length ? list[list.length - 1].step : 0, syncing: false })
      } else {
        this.setData({ hint: result.status === 'retry' ? '请再点一次' : result.status === 'denied' ? '需要授权微信运动' : `同步失败（${result.reason}）`, syncing: false })
      }
    },
  },
})
