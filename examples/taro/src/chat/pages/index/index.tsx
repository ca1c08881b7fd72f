// src/chat/pages/index/index.tsx
import { Button, Text, View } from '@tarojs/components'
import { useState } from 'react'
import { guard } from '../../../session-guard'

// 独立分包里的 guard 是包的另一份副本创建的；同一台设备上的副本共用一次登录
// In an independent subpackage the guard comes from another copy of the package; copies on one device share one login.
export default function Chat() {
  const [userId, setUserId] = useState('')
  const [hint, setHint] = useState('')

  const loadUser = () => {
    guard.request({ url: 'https://api.example.com/me' }).then(
      (res) => {
        const body = res.data as { ok: boolean; user?: { id: string } }
        if (res.statusCode === 200 && body.user) setUserId(body.user.id)
      },
      () => setHint('网络不可用'),
    )
  }

  return (
    <View>
      <Button className='load-user' onClick={loadUser}>我的账号</Button>
      <Text className='user'>{userId}</Text>
      <Text className='hint'>{hint}</Text>
    </View>
  )
}
