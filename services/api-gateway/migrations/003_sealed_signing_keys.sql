-- Private signing keys are stored encrypted (AES-256-GCM under GATEWAY_KEY_ENCRYPTION_KEY):
-- `aes-256-gcm:<key-encryption key id>:<nonce>:<ciphertext>:<tag>`. Rows written in the clear
-- before this migration keep private_key_pem until the gateway seals them at its next start;
-- a row holds one form or the other, never both.
ALTER TABLE signing_keys ADD COLUMN private_key_sealed text;
ALTER TABLE signing_keys ALTER COLUMN private_key_pem DROP NOT NULL;
ALTER TABLE signing_keys
  ADD CONSTRAINT signing_keys_private_key_once CHECK ((private_key_pem IS NULL) <> (private_key_sealed IS NULL));
