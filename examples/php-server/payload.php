<?php
declare(strict_types=1);

/** The data route's request body, checked before anything is exchanged or redeemed (P-DATA-1). */
final class Payload
{
    private function __construct(
        public readonly string $flag,
        public readonly ?string $code,
        public readonly ?string $iv,
        public readonly ?string $encryptedData,
        public readonly ?string $phoneCode,
        public readonly ?string $cloudID,
        public readonly ?string $dataKind,
    ) {
    }

    /** Kinds WeChat seals without a watermark (P-CRYPTO-5): chat-tool data has none, group-enter data may have none. */
    private const WATERMARKLESS_KINDS = ['chat-tool', 'group-enter'];

    /** A field as a string, null when absent ("" and null mean absent); BAD_INPUT for another type or length. */
    private static function field(array $body, string $name, int $max): ?string
    {
        $value = $body[$name] ?? null;
        if ($value === null || $value === '') {
            return null;
        }
        if (!is_string($value) || strlen($value) > $max) {
            throw new ProtocolFailure('BAD_INPUT');
        }
        return $value;
    }

    /** @param array<string, mixed> $body */
    public static function parse(array $body): self
    {
        $flag = $body['sessionKeyValidFlag'] ?? null;
        if ($flag !== '0' && $flag !== '1') {
            throw new ProtocolFailure('BAD_INPUT');
        }
        $code = self::field($body, 'code', 256);
        $iv = self::field($body, 'iv', 64);
        $sealed = self::field($body, 'encryptedData', 65536);
        $phoneCode = self::field($body, 'phoneCode', 256);
        $cloudID = self::field($body, 'cloudID', 1024);
        $dataKind = self::field($body, 'dataKind', 32);
        if ($dataKind !== null && !preg_match('/^[a-z][a-z0-9-]*$/', $dataKind)) {
            throw new ProtocolFailure('BAD_INPUT');
        }
        if ($flag === '0' && $code === null) {
            throw new ProtocolFailure('BAD_INPUT');
        }
        if (($iv === null) !== ($sealed === null)) {
            throw new ProtocolFailure('BAD_INPUT');
        }
        $rawIv = $rawSealed = null;
        if ($iv !== null) {
            $rawIv = OpenData::decodeField($iv);
            $rawSealed = OpenData::decodeField($sealed);
            if ($rawIv === null || strlen($rawIv) !== 16 || $rawSealed === null || $rawSealed === '') {
                throw new ProtocolFailure('BAD_INPUT');
            }
        }
        // Over HTTP a cloudID cannot be opened (P-CLOUD-1): alone, it is no way to the data.
        if ($rawSealed === null && $phoneCode === null) {
            throw new ProtocolFailure('BAD_INPUT');
        }
        return new self($flag, $flag === '0' ? $code : null, $rawIv, $rawSealed, $phoneCode, $cloudID, $dataKind);
    }

    /** Whether sealed data without a watermark may open: only of a kind that has none, never beside a phone code (P-CRYPTO-5). */
    public function watermarkOptional(): bool
    {
        return $this->phoneCode === null && in_array($this->dataKind, self::WATERMARKLESS_KINDS, true);
    }

    public function sealed(): bool
    {
        return $this->encryptedData !== null;
    }
}
