"""The ``s3`` transport, on boto3: AWS or any S3-compatible server (``endpoint_url``).

Every object is sent with its SHA-256 (``ChecksumSHA256``), which the server checks before
it stores anything, and a PUT is all-or-nothing: an object appears only whole, so no
temporary key is needed. Keys are ``prefix`` + the package path (each locale is a folder
of the package); ``{partner}`` in the prefix is the partner's id. Credentials are the
``access_key_id``/``secret_access_key`` given (the secret by reference), else boto3's own
chain (environment, profile, instance role). boto3's own retries are off: the delivery's
policy retries, and the journal counts every attempt.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
from requests.structures import CaseInsensitiveDict

from syndicate.delivery.base import TransportSettings, dropped
from syndicate.engines.http import retry_after
from syndicate.errors import DeliveryAuthError, DeliveryError

_AUTH_CODES = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "403",
}


class S3Transport:
    kind = "s3"
    whole_package = False

    def __init__(self, settings: TransportSettings) -> None:
        settings.check(
            {
                "bucket",
                "prefix",
                "endpoint_url",
                "region",
                "access_key_id",
                "secret_access_key",
                "timeout",
            }
        )
        self.partner = settings.partner
        self.bucket = settings.get("bucket", str)
        self.prefix = settings.get("prefix", str, "").replace("{partner}", settings.partner)
        self.endpoint_url = settings.optional("endpoint_url", str)
        self.region = settings.get("region", str, "us-east-1")
        self.key_id = settings.optional("access_key_id", str)
        self.secret = settings.optional("secret_access_key", str)
        if (self.key_id is None) != (self.secret is None):
            raise settings.error("give both delivery.access_key_id and secret_access_key")
        self.timeout = settings.get("timeout", float, 30.0)
        self._client: Any = None  # while connected
        self._built: Any = None  # made once: building a boto3 client takes a third of a second

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"

    def connect(self) -> None:
        if self._built is None:
            self._built = self._build()
        client = self._built
        self._call(lambda: client.head_bucket(Bucket=self.bucket), f"opening {self.describe()}")
        self._client = client

    def _build(self) -> Any:
        config = botocore.config.Config(
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            retries={"total_max_attempts": 1},
            request_checksum_calculation="when_required",
        )
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.key_id,
            aws_secret_access_key=self.secret,
            config=config,
        )

    def _call(self, fn: Any, what: str) -> Any:
        try:
            return fn()
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
            message = f"{what}: {status} {code} {error.get('Message', '')}".strip()
            if code in _AUTH_CODES or status == 403:
                raise DeliveryAuthError(
                    self.partner,
                    f"{self.describe()}: the server refused our credentials: {message}",
                    hint="check the partner's access key and secret",
                ) from None
            if code in ("404", "NoSuchBucket"):
                raise DeliveryError(
                    self.partner, f"{what}: no bucket {self.bucket!r}", hint="create it"
                ) from None
            retryable = status >= 500 or status == 429 or code in ("SlowDown", "RequestTimeout")
            headers = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
            wait = retry_after(CaseInsensitiveDict(headers)) if retryable else None
            raise DeliveryError(
                self.partner, message, retryable=retryable, retry_after=wait
            ) from None
        except (botocore.exceptions.BotoCoreError, OSError) as exc:
            if isinstance(exc, botocore.exceptions.NoCredentialsError):
                raise DeliveryAuthError(self.partner, f"{what}: no credentials") from None
            raise dropped(self.partner, what, exc) from None

    def _key(self, path: str) -> str:
        return f"{self.prefix}{path}"

    def put(self, path: str, data: bytes, *, package: str) -> str:
        client = self._connected()
        checksum = base64.b64encode(hashlib.sha256(data).digest()).decode()
        key = self._key(path)
        reply = self._call(
            lambda: client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=checksum,
                Metadata={"syndicate-package": package},
            ),
            f"uploading {key}",
        )
        etag = str(reply.get("ETag", "")).strip('"')
        return f"ETag {etag}; sha256 {reply.get('ChecksumSHA256', checksum)}"

    def remove(self, path: str) -> None:
        client = self._connected()
        key = self._key(path)
        self._call(lambda: client.delete_object(Bucket=self.bucket, Key=key), f"removing {key}")

    def _connected(self) -> Any:
        if self._client is None:
            raise DeliveryError(self.partner, "not connected", retryable=True)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            client.close()  # its connections; the client itself may connect again
