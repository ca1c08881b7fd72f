// src/pages/index/index.tsx
import { Button, Text, View, type BaseEventOrig, type ButtonProps } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { Release } from 'miniprogram-session-guard'
import { guard } from '../../session-guard'

let release: Release | undefined // 按下时拿到的挡住，收到事件后放开 / taken on press, let go on the event

export default function Index() {
  const [phone, setPhone] = useState('')
  const [hint, setHint] = useState('')
  const [userId, setUserId] = useState('')

  const onPress = () => {
    // 从按下到收到 getphonenumber 事件挡住登录 / hold logins from the press until the consent event
    release = guard.holdLogins()
  }
  const onGetPhoneNumber = (e: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>) => {
    const pending = guard.getPhoneNumber(e.detail)
    if (release) release()
    release = undefined
    pending.then((outcome) => {
      if (outcome.status === 'ok' && outcome.reply.ok) {
        setPhone(outcome.reply.data.phoneNumber)
        setHint('')
      } else if (outcome.status === 'retry') setHint('请再点一次') // 会话已刷新，再点必成功 / the next tap works
      else if (outcome.status === 'denied') setHint('已取消授权')
      else setHint('获取失败，请稍后再试')
    })
  }
  const loadUser = () => {
    // 你自己的接口：自动带 token，过期时只登录一次再重放 / your API: token attached, one re-login on expiry
    guard.request({ url: 'https://api.example.com/me' }).then(
      (res) => {
        const body = res.data as { ok: boolean; user?: { id: string } }
        if (res.statusCode === 200 && body.user) setUserId(body.user.id)
      },
      () => setHint('网络不可用'), // 只有请求本身失败才到这里 / only when the request itself failed
    )
  }

  return (
    <View>
      <Button className='get-phone' openType='getPhoneNumber' onClick={onPress} onGetPhoneNumber={onGetPhoneNumber}>
        手机号快捷登录
      </Button>
      <Text className='phone'>{phone}</Text>
      <Text className='hint'>{hint}</Text>
      <Button className='load-user' onClick={loadUser}>我的账号</Button>
      <Text className='user'>{userId}</Text>
      <Button className='to-account' onClick={() => Taro.navigateTo({ url: '/account/pages/me/index' })}>账号（分包）</Button>
    </View>
  )
}
