/** Baidu's published known-answer vector (platform-facts.md, section 1): what it seals, and the data inside. */
export const BAIDU_SAMPLE = {
  appKey: 'y2dTfnWfkx2OXttMEMWlGHoB1KzMogm7',
  sessionKey: '1df09d0a1677dd72b8325aec59576e0c',
  iv: '1df09d0a1677dd72b8325Q==',
  encryptedData:
    'OpCoJgs7RrVgaMNDixIvaCIyV2SFDBNLivgkVqtzq2GC10egsn+PKmQ/+5q+chT8xzldLUog2haTItyIkKyvzvmXonBQLIMeq54axAu9c3KG8IhpFD6+ymHocmx07ZKi7eED3t0KyIxJgRNSDkFk5RV1ZP2mSWa7ZgCXXcAbP0RsiUcvhcJfrSwlpsm0E1YJzKpYy429xrEEGvK+gfL+Cw==',
}

export const BAIDU_SAMPLE_DATA = { openid: 'open_id', nickname: 'baidu_user', headimgurl: 'url of image', sex: 1 }
