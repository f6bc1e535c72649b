"""DeepL API v2: header auth, XML placeholders, variants, formality, quota."""

from __future__ import annotations

import pytest

from syndicate.engines.base import RetryPolicy
from syndicate.engines.deepl import FREE_URL, PRO_URL, DeepLEngine, deepl_target, from_xml, to_xml
from syndicate.errors import ConfigError, EngineQuotaError
from syndicate.testing import DeepLServer

QUICK = RetryPolicy(retries=1, backoff=0.01, sleep=lambda s: None)


def test_placeholders_travel_as_xml_tags() -> None:
    """Tokens become <x id/> tags, text is escaped, and both come back."""
    template = "Harga <naik> & ⟦1⟧turun⟦2⟧ ⟦3⟧"
    xml = to_xml(template)
    assert xml == 'Harga &lt;naik&gt; &amp; <x id="1"/>turun<x id="2"/> <x id="3"/>'
    assert from_xml(xml) == template
    assert from_xml('a <x id="1"></x> b <x id = "2" />') == "a ⟦1⟧ b ⟦2⟧"


def test_request_shape() -> None:
    """Up to 50 texts a request, tag handling on, variant target, formality where it applies."""
    with DeepLServer() as server:
        engine = DeepLEngine.with_settings(
            api_key="key:fx", url=server.url, retry=QUICK, formality="prefer_less"
        )
        texts = [f"Kalimat {i} ⟦1⟧tebal⟦2⟧" for i in range(60)]
        assert engine.translate(texts, source="id", target="en-GB") == [t.swapcase() for t in texts]
        assert [len(r["q"]) for r in server.requests] == [50, 10]
        first = server.requests[0]
        assert (
            first["target"] == "EN-GB"
            and first["source"] == "ID"
            and first["tag_handling"] == "xml"
        )
        assert first["formality"] == "prefer_less"


def test_quota_exceeded_is_reported_as_such() -> None:
    """HTTP 456 is a quota error, not retried."""
    with DeepLServer() as server:
        server.quota_exceeded = True
        with pytest.raises(EngineQuotaError, match="quota exceeded"):
            DeepLEngine.with_settings(api_key="key:fx", url=server.url, retry=QUICK).translate(
                ["a"], source="id", target="de"
            )


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "EN-US"),
        ("en-GB", "EN-GB"),
        ("en-SG", "EN-GB"),
        ("en", "EN-US"),
        ("pt-BR", "PT-BR"),
        ("pt", "PT-PT"),
        ("zh-CN", "ZH-HANS"),
        ("zh-TW", "ZH-HANT"),
        ("ja-JP", "JA"),
        ("de", "DE"),
    ],
)
def test_targets(tag: str, code: str) -> None:
    """Targets with variants where DeepL needs them."""
    assert deepl_target(tag) == code


def test_endpoint_from_the_key_and_settings_checked() -> None:
    """Free keys (:fx) use the free endpoint; a missing key or a bad formality is a config error."""
    assert DeepLEngine.with_settings(api_key="abc:fx").url == f"{FREE_URL}/v2/translate"
    assert DeepLEngine.with_settings(api_key="abc").url == f"{PRO_URL}/v2/translate"
    with pytest.raises(ConfigError, match="needs an API key"):
        DeepLEngine.from_options({})
    with pytest.raises(ConfigError, match="formality"):
        DeepLEngine.with_settings(api_key="k", formality="polite")
