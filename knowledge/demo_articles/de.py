# ruff: noqa: E501 - prose reads best one sentence a line
"""Demo articles: the texts in de, by article slug (the shape is described in __init__.py)."""

TEXTS = {
    "ankommen": {
        "title": "Ankommen in Deutschland: die ersten Schritte",
        "summary": "Was du in den ersten Wochen erledigen solltest – und wo du Hilfe bekommst.",
        "intro": "Neu in Deutschland? Viele Dinge sind am Anfang gleichzeitig zu tun. Diese Schritte helfen dir, den Überblick zu behalten.",
        "steps": [
            (
                "Wohnsitz anmelden",
                "Melde dich innerhalb von zwei Wochen beim Bürgeramt deiner Stadt an. Du brauchst deinen Pass und die Bestätigung deines Vermieters (Wohnungsgeberbestätigung).",
            ),
            (
                "Krankenversicherung",
                "In Deutschland muss jede Person krankenversichert sein. Wähle eine gesetzliche Krankenkasse – der JMD hilft dir dabei.",
            ),
            (
                "Bankkonto eröffnen",
                "Für Lohn, Miete und Handyvertrag brauchst du ein Konto. Jede Person hat das Recht auf ein Basiskonto.",
            ),
            (
                "Steuer-ID abwarten",
                "Nach der Anmeldung kommt deine Steuer-Identifikationsnummer per Post. Du brauchst sie für Arbeit und Ausbildung.",
            ),
            (
                "Zum JMD gehen",
                "Der Jugendmigrationsdienst in deiner Nähe berät dich kostenlos – zu Sprache, Schule, Ausbildung und allem anderen.",
            ),
        ],
        "faq": [
            (
                "Was ist, wenn ich keinen Termin beim Bürgeramt bekomme?",
                "Buche den nächsten freien Termin und bewahre die Bestätigung auf. Das zeigt, dass du dich rechtzeitig gekümmert hast.",
            )
        ],
        "contact": "Du weißt nicht, womit du anfangen sollst? Schreib uns – wir antworten innerhalb von 48 Stunden.",
    },
    "anerkennung": {
        "title": "Anerkennung ausländischer Abschlüsse",
        "summary": "Schulzeugnis, Berufsabschluss oder Studium aus dem Ausland: So lässt du prüfen, was dein Abschluss in Deutschland wert ist.",
        "intro": "Viele Berufe darfst du in Deutschland nur mit einem anerkannten Abschluss ausüben, zum Beispiel in der Pflege. Auch für Ausbildung und Studium hilft ein anerkanntes Zeugnis.",
        "steps": [
            (
                "Herausfinden, wer zuständig ist",
                "Welche Stelle deinen Abschluss prüft, hängt vom Beruf und vom Bundesland ab. Der JMD findet die zuständige Stelle mit dir.",
            ),
            (
                "Unterlagen sammeln",
                "Zeugnisse, Fächer- und Notenübersicht, Nachweise über Berufserfahrung – als Kopie und mit Übersetzung durch eine vereidigte Übersetzerin oder einen vereidigten Übersetzer.",
            ),
            (
                "Antrag stellen",
                "Den Antrag kannst du oft schon aus dem Ausland stellen. Die Prüfung dauert meist bis zu drei Monate, nachdem alle Unterlagen da sind.",
            ),
            (
                "Bescheid verstehen",
                "Bei teilweiser Gleichwertigkeit kannst du mit einer Anpassungsqualifizierung oder Prüfung die volle Anerkennung erreichen.",
            ),
        ],
        "faq": [
            (
                "Was kostet die Anerkennung?",
                "Meist zwischen 100 und 600 Euro. Unter Umständen übernimmt das Jobcenter oder ein Förderprogramm die Kosten – frag uns.",
            ),
            (
                "Brauche ich die Anerkennung für jeden Job?",
                "Nein. Nur für reglementierte Berufe ist sie Pflicht. Für andere Berufe zeigt sie Arbeitgebern, was du kannst.",
            ),
        ],
        "contact": "Unsicher, ob dein Abschluss anerkannt wird? Frag uns – wir schauen uns deine Situation an.",
    },
    "ausbildungsplatz-finden": {
        "title": "Einen Ausbildungsplatz finden",
        "summary": "Duale Ausbildung in Deutschland: wie sie funktioniert, wann du dich bewirbst und wer dir hilft.",
        "intro": "In einer dualen Ausbildung lernst du im Betrieb und in der Berufsschule und bekommst von Anfang an Geld. Es gibt über 300 Ausbildungsberufe.",
        "steps": [
            (
                "Berufe kennenlernen",
                "Praktika zeigen dir, was dir liegt. Der JMD und die Berufsberatung der Agentur für Arbeit helfen bei der Wahl.",
            ),
            (
                "Früh bewerben",
                "Viele Betriebe suchen schon ein Jahr vor Ausbildungsbeginn (meist im August oder September).",
            ),
            ("Bewerbungsmappe", "Anschreiben, Lebenslauf und Zeugnisse – üben kannst du das mit JMD apply."),
            ("Vorstellungsgespräch", "Bereite dich auf typische Fragen vor. Wir üben das gern mit dir."),
        ],
        "faq": [
            (
                "Reicht mein Deutsch für eine Ausbildung?",
                "Meist wird Niveau B1 bis B2 erwartet. Es gibt berufsbezogene Sprachkurse, auch während der Ausbildung.",
            )
        ],
        "contact": "Du suchst einen Ausbildungsplatz? Schreib uns, welche Berufe dich interessieren.",
    },
    "deutschkurse": {
        "title": "Deutschkurse und Integrationskurs",
        "summary": "Welche Kurse es gibt, wer sie bezahlt und wie du einen Platz bekommst.",
        "intro": "Der Integrationskurs besteht aus einem Sprachkurs bis Niveau B1 und einem Orientierungskurs über Leben, Geschichte und Recht in Deutschland.",
        "steps": [
            (
                "Berechtigung klären",
                "Ob du teilnehmen darfst oder musst, steht oft in deinem Aufenthaltstitel. Sonst kannst du einen Antrag beim BAMF stellen.",
            ),
            (
                "Kursträger finden",
                "Es gibt auch Jugendintegrationskurse für junge Menschen bis 27 Jahre – mit mehr Stunden und Themen für Schule und Beruf.",
            ),
            (
                "Kosten",
                "Meist zahlst du einen kleinen Eigenanteil pro Stunde; viele Menschen sind davon befreit.",
            ),
        ],
        "faq": [],
        "contact": "Du findest keinen passenden Kurs? Wir suchen mit dir.",
    },
    "wohnung-suchen": {
        "title": "Wohnung suchen: worauf du achten solltest",
        "summary": "Kaltmiete, Kaution, Schufa: die wichtigsten Begriffe bei der Wohnungssuche.",
        "intro": "Die Wohnungssuche ist in vielen Städten schwer. Mit den richtigen Unterlagen und etwas Wissen über deine Rechte bist du besser vorbereitet.",
        "steps": [
            (
                "Unterlagen bereithalten",
                "Ausweis, Einkommensnachweis oder Bescheid vom Jobcenter, eventuell eine Mietschuldenfreiheitsbescheinigung.",
            ),
            (
                "Angebote prüfen",
                "Kaltmiete plus Nebenkosten ergibt die Warmmiete. Die Kaution darf höchstens drei Kaltmieten betragen.",
            ),
            ("Vorsicht bei Betrug", "Zahle nie Geld, bevor du die Wohnung gesehen und einen Vertrag hast."),
        ],
        "faq": [],
        "contact": "Fragen zu Mietvertrag oder Kaution? Schreib uns.",
    },
    "schulpflicht": {
        "title": "Schule in Deutschland: Schulpflicht und Anmeldung",
        "summary": "Wer zur Schule gehen muss, wie die Anmeldung funktioniert und was Willkommensklassen sind.",
        "intro": "In Deutschland gilt die Schulpflicht, je nach Bundesland meist bis 18 Jahre (Berufsschulpflicht eingeschlossen).",
        "steps": [
            ("Schulamt kontaktieren", "Das Schulamt deiner Stadt sagt dir, welche Schule zuständig ist."),
            (
                "Willkommensklasse",
                "Ohne ausreichende Deutschkenntnisse lernst du zuerst in einer Vorbereitungs- oder Willkommensklasse.",
            ),
        ],
        "faq": [],
        "contact": "Fragen zur Schule? Wir helfen dir und deiner Familie.",
    },
    "leitfaden-weitervermittlung": {
        "title": "Leitfaden: Weitervermittlung an Fachberatungsstellen",
        "summary": "Intern: wann und wie Online-Berater:innen an Fachstellen weitervermitteln.",
        "intro": "Bei Themen außerhalb unseres Auftrags (z. B. Asylverfahren, Schulden, psychische Krisen) vermitteln wir weiter – mit Einverständnis der Ratsuchenden.",
        "steps": [
            ("Bedarf klären", "Frage nach, ob die Person eine Weitervermittlung wünscht."),
            ("Stelle auswählen", "Nutze die regionale Netzwerkliste deines Standorts."),
            (
                "Dokumentieren",
                "Vermerke die Weitervermittlung als interne Notiz im Fall – ohne Gesundheitsdaten.",
            ),
        ],
        "faq": [],
        "contact": "",
    },
}
