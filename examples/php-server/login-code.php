<?php
declare(strict_types=1);

/** A login code exchanged at most once, its key stored before anyone decrypts with it (P-CODE-*, P-KEY-1/2). */
final class LoginCodes
{
    public function __construct(private readonly Store $store, private readonly WeChat $wechat)
    {
    }

    /**
     * Claims the code, exchanges it, stores the key. Returns [openid, key]; throws ProtocolFailure with
     * the reason otherwise. The claim is given back only when WeChat certainly did not process the code.
     *
     * @return array{0: string, 1: string}
     */
    public function exchange(string $code): array
    {
        if ($this->store->claim('login', $code) !== null) {
            // Already claimed by an earlier or concurrent request: it must not reach WeChat again.
            throw new ProtocolFailure('CODE_REJECTED');
        }
        $answer = $this->wechat->codeToSession($code);
        $answeredAt = microtime(true);
        $errcode = $answer->errcode();
        if ($answer->json === null) {
            // A timeout may have consumed the code: the claim stays, unless nothing was ever sent.
            if ($answer->unreachable) {
                $this->store->release('login', $code);
            }
            throw new ProtocolFailure('WECHAT_UNAVAILABLE');
        }
        if ($errcode === 40029 || $errcode === 40163) {
            throw new ProtocolFailure('CODE_REJECTED');
        }
        if ($errcode === 40226) {
            throw new ProtocolFailure('USER_BLOCKED');
        }
        if ($errcode === -1 || $errcode === 45011) {
            $this->store->release('login', $code);
            throw new ProtocolFailure('WECHAT_UNAVAILABLE');
        }
        $openid = $answer->json['openid'] ?? null;
        $key = $answer->json['session_key'] ?? null;
        if ($errcode !== 0 || !is_string($openid) || $openid === '' || !is_string($key) || $key === '') {
            throw new ProtocolFailure('WECHAT_UNAVAILABLE');
        }
        $this->store->storeKey($openid, $key, $answeredAt);
        return [$openid, $key];
    }
}
