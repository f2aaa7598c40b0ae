import pytest

from ai_toolbox.errors import InvalidInput
from ai_toolbox.text.pii import detect_pii, pseudonymise, redact, restore
from ai_toolbox.text.recognisers.ids import cn_id_check_char, hkid_check_digit, is_valid_cn_id, is_valid_hkid


def found(text, **kw):
    return {(s.type, s.text) for s in detect_pii(text, **kw)}


def test_hkid_check_digit():
    assert hkid_check_digit("A", "123456") == "3"
    assert is_valid_hkid("A123456(3)") and not is_valid_hkid("A123456(4)")


def test_cn_id_checksum_date_and_region():
    assert cn_id_check_char("11010519491231002") == "X"
    assert is_valid_cn_id("11010519491231002X")
    assert not is_valid_cn_id("110105194912310021")  # checksum
    assert not is_valid_cn_id("99010519491231002X")  # region


@pytest.mark.parametrize(("text", "expected"), [
    ("我的身份證號碼是A123456(3)。", ("HKID", "A123456(3)")),
    ("我的身份证号码是A123456(3)。", ("HKID", "A123456(3)")),
    ("My HKID is A123456(3).", ("HKID", "A123456(3)")),
    ("身份证号码11010519491231002X", ("CN_ID", "11010519491231002X")),
    ("手机13812345678", ("PHONE", "13812345678")),
    ("Call +852 2123 4567 now", ("PHONE", "+852 2123 4567")),
    ("電郵 chan.taiman@gmail.com。", ("EMAIL", "chan.taiman@gmail.com")),
    ("Card 4111 1111 1111 1111 expires", ("CREDIT_CARD", "4111 1111 1111 1111")),
    ("IP 192.168.1.20.", ("IP_ADDRESS", "192.168.1.20")),
    ("回鄉證號碼H12345678", ("TRAVEL_PERMIT", "H12345678")),
    ("Passport No. K12345678", ("PASSPORT", "K12345678")),
    ("車牌 AB 1234", ("VEHICLE_PLATE", "AB 1234")),
    ("出生日期：1985年3月12日", ("DATE_OF_BIRTH", "1985年3月12日")),
    ("account 004-123456-001", ("BANK_ACCOUNT", "004-123456-001")),
    ("陳大文先生來電", ("PERSON", "陳大文")),
    ("申请人：王芳", ("PERSON", "王芳")),
    ("Mr. Chan Tai Man agreed.", ("PERSON", "Chan Tai Man")),
    ("地址：香港九龍旺角彌敦道688號旺角中心1期12樓A室", ("ADDRESS", "香港九龍旺角彌敦道688號旺角中心1期12樓A室")),
])
def test_recognises(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "我的身份證號碼是A123456(4)。",
    "身份证号码110105194912310021",
    "Card 4111 1111 1111 1112",
    "Version 1.2.3 of the tool",
])
def test_invalid_numbers_are_not_ids(text):
    assert not found(text)


def test_unknown_type_is_an_error():
    with pytest.raises(InvalidInput):
        detect_pii("x", types=["SSN"])


@pytest.mark.parametrize(("operator", "expected"), [
    ("tag", "HKID [HKID], email [EMAIL]"),
    ("mask", "HKID ****456(3), email ****@******e.com"),
    ("remove", "HKID , email "),
])
def test_operators(operator, expected):
    assert redact("HKID A123456(3), email chan@example.com", operator).text == expected


def test_mask_never_shows_a_short_value_whole():
    assert redact("陳大文先生來電", "mask").text == "**文先生來電"


def test_hash_is_salted_and_stable():
    a = redact("email chan@example.com", "hash", salt="s1").text
    assert a == redact("email chan@example.com", "hash", salt="s1").text
    assert a != redact("email chan@example.com", "hash", salt="s2").text
    assert "chan@example.com" not in a


def test_pseudonyms_are_consistent_and_reversible():
    text = "Mr. John Smith wrote to chan@example.com; John Smith later wrote to chan@example.com again."
    masked, mapping = pseudonymise(text)
    assert "chan@example.com" not in masked
    assert masked.count("<EMAIL_1>") == 2
    assert restore(masked, mapping) == text
    assert restore("Reply to <EMAIL_1>", mapping) == "Reply to chan@example.com"


def test_a_written_address_is_taken_with_its_flat_town_country_and_postcode_lines():
    text = "Please write to\n03220 Augsburger Strasse 36\nSuite 960\nSchuld\nGermany 12345\nEmail: a@example.org"
    assert ("ADDRESS", "03220 Augsburger Strasse 36\nSuite 960\nSchuld\nGermany 12345") in found(text)
    # The tail stops at the next field, and at prose after a comma.
    assert ("ADDRESS", "12 Nathan Road, Kowloon") in found("I live at 12 Nathan Road, Kowloon and I am happy.")
    assert ("ADDRESS", "692 Kuuse 53 Apt. 641, Grubbenvorst, Netherlands 04020") in found(
        "Send it to 692 Kuuse 53 Apt. 641, Grubbenvorst, Netherlands 04020. Thanks")
    # "an" joins place names ("Frankfurt an der Oder") but is not the start of "and".
    assert ("ADDRESS", "692 Kuuse 53, Grubbenvorst") in found("Write to 692 Kuuse 53, Grubbenvorst and we will reply")


@pytest.mark.parametrize("text", [
    "Table 1 Results 2019, Appendix 3",  # numbered parts of a document
    "See Chapter 3 Part 2, Division 1.",
    "The score was 3 Arsenal 2 in the end.",  # no address parts after it, no address cue before
])
def test_numbers_around_capitalised_words_are_not_always_a_street(text):
    assert not {t for t, _ in found(text)} & {"ADDRESS"}


@pytest.mark.parametrize(("text", "names"), [
    ("I flew to France and then to STAXROITH.", set()),  # a country; one word in capitals
    ("We returned to Altoona on Monday.", set()),  # one word that is no listed name
    ("We moved here from New Zealand.", set()),
    ("A letter from Mary arrived.", {"Mary"}),  # a listed given name
    ("Please send it to Chan Tai Man.", {"Chan Tai Man"}),
    ("From: Smith\nTo: CHAN Tai Man", {"Smith", "CHAN Tai Man"}),  # a letter's header keeps any name
])
def test_after_to_and_from_places_are_not_names(text, names):
    assert {v for t, v in found(text) if t == "PERSON"} == names
