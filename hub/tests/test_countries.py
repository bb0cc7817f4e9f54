"""Countries as the reader names and orders them (hub/countries.py)."""

from hub.countries import COUNTRY_CODES, country_choices, country_name


def names(language):
    return [name for _code, name in country_choices(language)]


def test_germany_comes_first_in_every_language_and_each_country_once():
    germany_in = {"de": "Deutschland", "ar": "ألمانيا", "sq": "Gjermani", "fr": "Allemagne"}
    for language, germany in germany_in.items():
        choices = country_choices(language)
        assert choices[0] == ("DE", germany)
        assert len({code for code, _name in choices}) == len(choices) == len(COUNTRY_CODES)
    assert "XK" in COUNTRY_CODES and not {"EU", "UN", "ZZ", "XA"} & COUNTRY_CODES  # Kosovo, no non-countries


def test_each_language_sorts_by_its_own_alphabet():
    german = names("de")
    assert german.index("Oman") < german.index("Österreich") < german.index("Pakistan")  # ö with the o's
    turkish = names("tr")
    assert turkish.index("Cezayir") < turkish.index("Çad") < turkish.index("Danimarka")  # ç after c
    ukrainian = names("uk")
    assert ukrainian.index("Зімбабве") < ukrainian.index("Ізраїль") < ukrainian.index("Йорданія")
    albanian = names("sq")
    assert albanian.index("Suedi") < albanian.index("Shqipëri")  # sh is a letter after s


def test_a_code_is_named_in_the_readers_language_and_an_unknown_one_stays():
    assert country_name("TR", "de") == "Türkei" and country_name("TR", "tr") == "Türkiye"
    assert country_name("MA", "ar") == "المغرب" and country_name("", "de") == ""
    assert country_name("QQ", "de") == "QQ"
