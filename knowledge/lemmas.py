"""Word forms that a stemmer cannot bring together.

PostgreSQL's German Snowball stemmer cuts endings ("Anerkennung", "anerkennen" -> "anerkenn"), but strong
verbs change their stem ("anerkannt", "beworben", "abgeschlossen"), and those are exactly the words
young people type ("Wird mein Abschluss anerkannt?"). A search also tries the query with these words
replaced by a form the stemmer does join up. Keys are lower-case surface forms.
"""

GERMAN = {
    "anerkannt": "anerkennen",
    "aberkannt": "aberkennen",
    "erkannt": "erkennen",
    "gekannt": "kennen",
    "beworben": "bewerben",
    "abgeschlossen": "Abschluss",
    "geschlossen": "schließen",
    "gefunden": "finden",
    "umgezogen": "umziehen",
    "eingezogen": "einziehen",
    "ausgezogen": "ausziehen",
    "gezogen": "ziehen",
    "verstanden": "verstehen",
    "bestanden": "bestehen",
    "gesprochen": "sprechen",
    "geholfen": "helfen",
    "genommen": "nehmen",
    "aufgenommen": "aufnehmen",
    "angenommen": "annehmen",
    "geschrieben": "schreiben",
    "unterschrieben": "unterschreiben",
    "gegangen": "gehen",
    "geblieben": "bleiben",
    "geflohen": "Flucht",
    "geflüchtet": "Flucht",
    "verboten": "Verbot",
    "eingereist": "Einreise",
    "ausgereist": "Ausreise",
    "gekündigt": "Kündigung",
    "studiert": "Studium",
    "bezahlt": "bezahlen",
    "gewohnt": "Wohnung",
}

LEMMAS = {"de": GERMAN}


def lemma(word: str, language: str) -> str | None:
    """The form to search for instead of one irregular word, or None."""
    return LEMMAS.get(language, {}).get(word.lower().strip(".,;:!?\"'"))


def query_variant(query: str, language: str) -> str | None:
    """The query with irregular forms replaced, or None if nothing changed."""
    table = LEMMAS.get(language)
    if not table:
        return None
    words = query.split()
    replaced = [table.get(word.lower().strip(".,;:!?\"'"), word) for word in words]
    return " ".join(replaced) if replaced != words else None
