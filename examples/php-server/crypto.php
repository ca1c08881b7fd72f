<?php
declare(strict_types=1);

/** WeChat's open data: AES-128-CBC, PKCS#7, base64 fields (P-CRYPTO-1..3). */
final class OpenData
{
    /**
     * Decodes a base64 field of the payload, repairing a '+' that became a space on the way (P-CRYPTO-2).
     * Null when it is still not base64.
     */
    public static function decodeField(string $value): ?string
    {
        $bytes = base64_decode(trim(strtr($value, ' ', '+')), true);
        return $bytes === false ? null : $bytes;
    }

    /**
     * Opens `encryptedData` with each key in turn. Returns the plaintext object, or the reason:
     * DECRYPT_FAILED when no key opens it, WATERMARK_MISMATCH when it opened for another app (or
     * without a watermark where one is required).
     *
     * @param list<string> $keys base64 session keys
     * @return array<string, mixed>|string
     */
    public static function open(array $keys, string $iv, string $encryptedData, string $appId, bool $watermarkOptional = false): array|string
    {
        foreach ($keys as $key) {
            $rawKey = base64_decode($key, true);
            if ($rawKey === false || strlen($rawKey) !== 16) {
                continue;
            }
            $plain = openssl_decrypt($encryptedData, 'aes-128-cbc', $rawKey, OPENSSL_RAW_DATA, $iv);
            if ($plain === false) {
                continue;
            }
            if (!(json_decode($plain) instanceof stdClass)) {
                continue;
            }
            $data = json_decode($plain, true);
            // Watermark-less data (P-CRYPTO-5) opens only where the payload's kind allows it, and never a phone number.
            if ($watermarkOptional && !array_key_exists('watermark', $data) && !array_key_exists('phoneNumber', $data) && !array_key_exists('purePhoneNumber', $data)) {
                return $data;
            }
            $watermark = $data['watermark'] ?? null;
            if (!is_array($watermark) || ($watermark['appid'] ?? null) !== $appId) {
                return 'WATERMARK_MISMATCH';
            }
            unset($data['watermark']);
            return $data;
        }
        return 'DECRYPT_FAILED';
    }
}
