"""Keyed hashes of IINs and phone numbers: what the bot stores instead of the values."""

from __future__ import annotations

import hmac

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

    @property
    def available(self) -> bool:
        return self._key is not None

    def iin(self, iin: Iin) -> bytes:
        return self._digest(b"iin:" + iin.digits.encode("ascii"))

    def phone(self, phone: Phone) -> bytes:
        return self._digest(b"phone:" + phone.e164.encode("ascii"))

    def _digest(self, message: bytes) -> bytes:
        if self._key is None:
            raise PiiSecretMissing
        return hmac.digest(self._key, message, "sha256")
