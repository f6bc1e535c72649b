"""fastdetect gives langdetect's probabilities bit for bit: every language's, compared with ==.

The reference is langdetect's own ``Detector`` on langdetect's own profiles, loaded by its
own loader, seeded 0 as ``detect_text`` seeds it. The compact profiles take the languages
in file name order; langdetect's ``load_profile`` takes ``os.listdir``'s order, which
depends on the file system and changes the order of its sums (so the last bits of its
probabilities): the reference for the compact profiles is langdetect's loader given the
files in name order (``load_json_profile``), and fastdetect is also compared with
langdetect on a factory loaded exactly as langdetect loads it.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from syndicate.files import read_text
from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import segment_article
from syndicate.translation import detect, fastdetect
from syndicate.translation.detect import DETECT_CHARS, detect_text, document_text, sample
from syndicate.translation.fastdetect import FastDetector
from syndicate.translation.langprofiles import factory
from tests.helpers import EXAMPLES, ROOT

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the marks langdetect's normalize_vi composes


def decomposed_tones(text: str) -> str:
    """Vietnamese as some keyboards type it: the letter (with its hat or horn) and the tone
    as a combining mark after it, which langdetect's ``normalize_vi`` composes."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts if m in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES)))
        out.append(tones)
    return "".join(out)


_VI = (
    "Ngân hàng Nhà nước Việt Nam giữ nguyên lãi suất điều hành vào thứ Năm, cho biết lạm "
    "phát vẫn nằm trong phạm vi mục tiêu và tỷ giá đã ổn định sau nhiều tuần chịu áp lực."
)
_RO = (
    "Banca Națională a României a menținut dobânda de politică monetară, iar guvernatorul "
    "a spus că inflația scade în ritmul așteptat de piețe."
)
SPOKEN = {
    "en": "The central bank kept its benchmark rate unchanged on Thursday, saying inflation "
    "was within its target range and the rupiah had steadied after weeks of pressure.",
    "id": "Bank Indonesia mempertahankan suku bunga acuan pada Kamis karena inflasi masih "
    "berada dalam kisaran sasaran dan rupiah mulai stabil setelah tertekan beberapa pekan.",
    "ms": "Kerajaan akan meneruskan pelaburan dalam sektor pelabuhan kerana permintaan "
    "eksport dijangka meningkat, kata menteri itu kepada pemberita di Kuala Lumpur semalam.",
    "ja": "日本銀行は木曜日、政策金利を据え置くと発表した。物価上昇率は目標の範囲内にとどまって"
    "おり、円相場も落ち着きを取り戻しつつある。",
    "zh-cn": "中国人民银行周四宣布维持基准利率不变，称通胀处于目标区间之内，人民币汇率在经历数周"
    "压力后趋于稳定。",
    "zh-tw": "中央銀行週四宣布維持基準利率不變，表示通膨仍在目標區間內，新台幣匯率在數週壓力後"
    "趨於穩定。",
    "ko": "한국은행은 목요일 기준금리를 동결한다고 밝혔다. 물가 상승률이 목표 범위 안에 있고 "
    "원화 가치도 몇 주간의 압력 끝에 안정을 찾았다고 설명했다.",
    "vi": _VI,
    "vi, tones typed apart": decomposed_tones(_VI),
    "ar": "أبقى البنك المركزي سعر الفائدة الرئيسي دون تغيير يوم الخميس، مشيرا إلى أن التضخم "
    "لا يزال ضمن النطاق المستهدف وأن العملة استقرت بعد أسابيع من الضغوط.",
    "fa": "بانک مرکزی روز پنجشنبه نرخ بهره را بدون تغییر نگه داشت و گفت تورم در محدوده هدف "
    "باقی مانده است و ریال پس از چند هفته فشار آرام گرفته است.",
    "ru": "Центральный банк в четверг сохранил ключевую ставку без изменений, отметив, что "
    "инфляция остаётся в пределах целевого диапазона, а рубль стабилизировался.",
    "de": "Die Europäische Zentralbank (EZB) lässt den Leitzins unverändert. Die Inflation in "
    "der Eurozone liegt laut Eurostat bei 2,1 Prozent; Bundesbank-Präsident Joachim Nagel "
    "sprach von einer Stabilisierung. NATO, ZDF und ARD berichteten. GmbH, AG, DAX-Konzerne.",
    "ro": _RO,
    "ro, cedillas": _RO.replace("ț", "ţ").replace("ș", "ş"),
    "tr": "İstanbul'da açıklanan verilere göre enflasyon ılımlı bir şekilde düştü; Merkez "
    "Bankası faizi sabit tuttu ve IŞIK ŞİRKETİ hisseleri yükseldi.",
    "el": "Η Ευρωπαϊκή Κεντρική Τράπεζα διατήρησε αμετάβλητα τα επιτόκια, δηλώνοντας ότι ο "
    "πληθωρισμός υποχωρεί σταδιακά.",
    "hi": "भारतीय रिज़र्व बैंक ने गुरुवार को नीतिगत दर में कोई बदलाव नहीं किया और कहा कि "
    "महंगाई लक्ष्य के भीतर है।",
    "th": "ธนาคารแห่งประเทศไทยคงอัตราดอกเบี้ยนโยบายไว้ที่ร้อยละสอง โดยระบุว่าเงินเฟ้ออยู่ในกรอบเป้าหมาย",
    "ja and en": "Toyota の新型 EV は 2026 年に発売予定で、CEO の Koji Sato 氏は「battery "
    "costs are falling」と述べた。ニュースは NHK と Reuters が伝えた。",
    "ja, a little en": "トヨタ自動車は新型の電気自動車を来年発売する予定で、価格は約五百万円になる"
    "見通しだと日本経済新聞 (Nikkei) が報じた。",
    "ko and en": "Samsung Electronics 삼성전자 reported record profits as 반도체 demand "
    "recovered in Seoul and Jakarta, 서울에서 발표했다.",
    "ru and en": "Компания Apple (AAPL) and Microsoft Corporation объявили о партнерстве; "
    "акции выросли на 3%.",
    "capitals": "PEMERINTAH MENAIKKAN HARGA BBM SUBSIDI MULAI SABTU, KATA MENTERI ESDM DI "
    "JAKARTA. iPhone, McDonald's, OpenAI, PT Pertamina (Persero) Tbk, ÉCOLE, ÜBER.",
    "urls and mail": "Baca selengkapnya di https://nuntianews.example/ekonomi/2025/06/bi-rate"
    "?utm_source=x&id=1 atau kirim surat ke redaksi@nuntianews.example; www.nuntianews.example"
    "/ekonomi juga memuat berita ini, http://a.example dan ftp://b.example tidak.",
    "spaces": "  Harga   beras  naik\tdi pasar\n\nIndonesia   pekan ini  ",
    "emoji, CJK beyond the BMP": "Harga cabai 🌶️ naik 𠀀𠀁 lagi 😀 di pasar induk 🇮🇩",
    "bopomofo, half width": "ㄅㄆㄇㄈ ㆠㆡ ｶﾀｶﾅ ｈａｌｆ ｗｉｄｔｈ ひらがな カタカナ",
    "Latin-1 signs": "Preis × Menge ÷ 2 = « Summe » ¿qué? ¡sí! © ® ° ± µ ¶ · café naïve",
    # langdetect counts these as non-Latin (it compares a block number with a block name),
    # so the Latin letters go.
    "Latin Extended Additional": "Ḁḁ Ẁẁ Ạạ Ỳỳ ỹ Ỹ Ẽẽ Ệệ ḍḥ xin chào",
    "Latin at the limit": "abc абвгде",  # 2 x 3 Latin letters = 6 others: kept
    "title case digraphs": "ǅemal ǈubljana ǋoš Ǆ ǉ",
    "short": "Jakarta",
    "two letters": "Ab",
    "one letter": "a",
    "upper pair": "AB",
}
NO_FEATURES = ["123 456 789", "— … – ‘’ “” 42%", "", "   ", "!!!???", "12.345,67 (2025)"]
_SCRIPTS = [
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789.,;:!?()-'\"/@#%&",
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÉÖÜ×÷«»°\xa0",
    "ăâđêôơưĂÂĐÊÔƠƯșțşţŞȘıİğĞłŁœŒ",
    "AEIOUYaeiouyÂÊÔâêôĂăƠơƯư" + _TONES * 3,
    "ḀḁẀẁẠạẢảỲỳỹỸệỆ",
    "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔ",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД",
    "ابتثجحخدذرسشصضطظعغفقكلمنهوي" + "یکگپچ",
    "अआइईउऊएऐओऔकखगघचछजझटठडढ",
    "กขฃคฅฆงจฉชซฌญฎฏฐ",
    "あいうえおかきくけこ" + "アイウエオカキクケコ",
    "佼椴的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年",
    "가나다라마바사아자차카타파하한국",
    "ㄅㄆㄇㄈㄉㄊㄋㄌ",
    "\u2014\u2013\u2018\u2019\u201c\u201d\u2026",
    "😀🌶𠀀𠀁",
]


def fuzz(seed: int) -> str:
    """Random words from random scripts, some in capitals, with runs of spaces."""
    rng = random.Random(seed)
    words = []
    for _ in range(rng.randint(1, 60)):
        letters = rng.choice(_SCRIPTS)
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 9)))
        if rng.random() < 0.2:  # capitals: all, or some
            word = (
                word.upper()
                if rng.random() < 0.5
                else "".join(ch.upper() if rng.random() < 0.5 else ch for ch in word)
            )
        words.append(word)
    return "".join(w + " " * rng.choice([0, 1, 1, 1, 2, 3]) for w in words)


def corpus() -> list[str]:
    cases = yaml.safe_load((ROOT / "tests/data/entities.yaml").read_text(encoding="utf-8"))
    return [case["text"] for case in cases]


def examples() -> list[str]:
    """Each example article's text, whole and as detect_text samples it (URLs kept here:
    langdetect's own append takes those with a scheme out)."""
    found = []
    for path in EXAMPLES:
        text = document_text(segment_article(parse_article(read_text(path))))
        found += [text, sample(text)]
    return found


def texts() -> list[str]:
    return (
        corpus() + examples() + list(SPOKEN.values()) + NO_FEATURES + [fuzz(i) for i in range(80)]
    )


@pytest.fixture(scope="module")
def in_name_order() -> Any:
    """langdetect's profiles, loaded by langdetect, in file name order (as the compact ones)."""
    made = DetectorFactory()
    files = sorted(p for p in Path(PROFILES_DIRECTORY).iterdir() if not p.name.startswith("."))
    made.load_json_profile([p.read_text(encoding="utf-8") for p in files])
    made.seed = 0
    return made


@pytest.fixture(scope="module")
def as_shipped() -> Any:
    """langdetect's profiles loaded exactly as langdetect loads them."""
    made = DetectorFactory()
    made.load_profile(PROFILES_DIRECTORY)
    made.seed = 0
    return made


def as_is(detector: Any) -> None:
    """langdetect's default settings."""


def answer(
    detector: Any, parts: list[str], limit: int | None = None, setup: Callable[[Any], None] = as_is
) -> tuple[object, ...]:
    """Everything a detection computes: the cleaned text, every language's probability and
    the sorted list langdetect hands out, or its error."""
    setup(detector)
    detector.set_max_text_length(sum(map(len, parts)) if limit is None else limit)
    for part in parts:
        detector.append(part)
    try:
        ranked = [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException as exc:
        return ("error", exc.code, str(exc), detector.text)
    return (detector.text, list(zip(detector.langlist, detector.langprob, strict=True)), ranked)


def test_compact_profiles_and_fastdetect_give_langdetects_probabilities(
    in_name_order: Any,
) -> None:
    """What detect_text runs (fastdetect on the compact profiles) against langdetect's own
    detector on its own profiles: equal on every text, errors included."""
    ours = factory()
    assert ours.langlist == in_name_order.langlist
    checked = texts()
    assert len(checked) > 300
    errors = 0
    for text in checked:
        theirs = answer(in_name_order.create(), [text])
        assert answer(FastDetector(ours), [text]) == theirs, text[:80]
        errors += theirs[0] == "error"
    assert errors >= len(NO_FEATURES)


def test_fastdetect_on_langdetects_factory_as_shipped(as_shipped: Any) -> None:
    """On a factory loaded as langdetect loads it (its directory order, its dict), the
    same probabilities as langdetect's detector."""
    for text in corpus() + list(SPOKEN.values()) + NO_FEATURES:
        assert answer(FastDetector(as_shipped), [text]) == answer(as_shipped.create(), [text])


@pytest.mark.parametrize(
    ("limit", "setup"),
    [
        (DETECT_CHARS, as_is),  # what detect_text does with a long text: the first 500
        (37, as_is),  # cut in a word
        (0, as_is),
        (-5, as_is),
        (None, lambda d: d.set_alpha(0.9)),
        (None, lambda d: d.set_prior_map({"id": 0.6, "ms": 0.3, "en": 0.1})),
        (None, lambda d: setattr(d, "n_trial", 2)),
    ],
)
def test_the_same_with_other_settings(
    in_name_order: Any, limit: int | None, setup: Callable[[Any], None]
) -> None:
    """Text cut short, langdetect's other settings, text appended in several parts."""
    ours = factory()
    long = " ".join(corpus()[:40])
    for text in [long, *SPOKEN.values(), *examples()]:
        for parts in ([text], [text[:50], text[50:120], text[120:]]):
            theirs = answer(in_name_order.create(), parts, limit, setup)
            assert answer(FastDetector(ours), parts, limit, setup) == theirs, text[:80]


def test_a_profile_folder_with_other_entries(tmp_path: Path) -> None:
    """langdetect's load_profile sizes each n-gram's row by the folder's entries, profiles
    or not: rows longer than the languages, of which langdetect reads the languages'."""
    for lang in ("ar", "de", "en", "id", "ja", "ru", "zh-cn"):
        (tmp_path / lang).write_bytes((Path(PROFILES_DIRECTORY) / lang).read_bytes())
    (tmp_path / ".keep").write_text("")
    (tmp_path / "notes").mkdir()
    made = DetectorFactory()
    made.load_profile(str(tmp_path))
    made.seed = 0
    assert len(made.langlist) == 7 and len(made.word_lang_prob_map["a"]) == 9
    for text in [*corpus()[:40], *SPOKEN.values(), *NO_FEATURES]:
        assert answer(FastDetector(made), [text]) == answer(made.create(), [text])


def test_the_ngrams_are_langdetects(in_name_order: Any) -> None:
    """The n-grams langdetect draws from, and the profile rows fastdetect draws instead:
    the same list, position for position."""
    table = factory().word_lang_prob_map
    for text in texts():
        theirs = in_name_order.create()
        theirs.append(text)
        theirs.cleaning_text()
        ours = FastDetector(factory())
        ours.append(text)
        ours.cleaning_text()
        assert ours.text == theirs.text
        ngrams = theirs._extract_ngrams()
        assert ours._extract_ngrams() == ngrams, text[:80]
        rows = ours._extract_rows()
        assert len(rows) == len(ngrams)
        assert all(row is table[w] for row, w in zip(rows, ngrams, strict=True))


def test_remembering_fewer_words_changes_nothing(
    in_name_order: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A memory of words emptied as it fills, or forgotten, gives the same rows."""
    monkeypatch.setattr(fastdetect, "_KEPT", 5)
    fastdetect.clear_memory()
    for text in [*corpus()[:30], *SPOKEN.values()]:
        assert answer(FastDetector(factory()), [text]) == answer(in_name_order.create(), [text])
    assert len(fastdetect._rows(factory().word_lang_prob_map)) <= 5
    fastdetect.clear_memory()


def test_detect_text_runs_fastdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    """detect_text detects with fastdetect (its answers, unchanged, are test_detect's)."""
    made: list[object] = []

    class Counted(FastDetector):  # type: ignore[misc]
        def __init__(self, factory: Any) -> None:
            super().__init__(factory)
            made.append(self)

    monkeypatch.setattr(fastdetect, "FastDetector", Counted)
    detect.detect_text.cache_clear()
    found = detect_text(SPOKEN["id"] + " (fastdetect)")
    assert found.lang == "id" and len(made) == 1
    detect.detect_text.cache_clear()
