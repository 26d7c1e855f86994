"""Keyed hashes of IINs and phone numbers: what the bot stores instead of the values."""

from __future__ import annotations

import hmac
import secrets

from pydantic import SecretStr

from bot.services.iin import Iin
from bot.services.phone import Phone


class PiiSecretMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__("PII_SECRET is not set")


class PiiHasher:
    """HMAC-SHA256 with the server's secret: without the key a hash cannot be tested by guessing
    (12-digit IINs with a control digit are far too few to resist a plain hash)."""

    def __init__(self, secret: SecretStr | None) -> None:
        value = secret.get_secret_value() if secret is not None else ""
        self._key = value.encode("utf-8") if value else None
        # Without PII_SECRET askers are still counted, with a key that lives as long as the
        # process: after a restart the same person may count twice, which is harmless.
        self._asker_key = self._key or secrets.token_bytes(32)

    @property
    def available(self) -> bool:
        return self._key is not None

    def iin(self, iin: Iin) -> bytes:
        return self._digest(b"iin:" + iin.digits.encode("ascii"))

    def phone(self, phone: Phone) -> bytes:
        return self._digest(b"phone:" + phone.e164.encode("ascii"))

    def asker(self, user_id: int) -> bytes:
        """A keyed hash of a Telegram id: counts one person once without saying who they are."""
        return hmac.digest(self._asker_key, b"asker:" + str(user_id).encode("ascii"), "sha256")

    def _digest(self, message: bytes) -> bytes:
        if self._key is None:
            raise PiiSecretMissing
        return hmac.digest(self._key, message, "sha256")
