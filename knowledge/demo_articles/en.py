# ruff: noqa: E501 - prose reads best one sentence a line
"""Demo articles: the texts in en, by article slug (the shape is described in __init__.py)."""

TEXTS = {
    "ankommen": {
        "title": "Arriving in Germany: the first steps",
        "summary": "What to do in your first weeks – and where to get help.",
        "intro": "New in Germany? At the beginning, many things need doing at once. These steps help you keep track.",
        "steps": [
            (
                "Register your address",
                "Register at your town's citizens' office (Bürgeramt) within two weeks. Bring your passport and your landlord's confirmation (Wohnungsgeberbestätigung).",
            ),
            (
                "Health insurance",
                "Everyone in Germany must have health insurance. Choose a statutory health insurance fund – the JMD helps you.",
            ),
            (
                "Open a bank account",
                "You need an account for wages, rent and a phone contract. Everyone has the right to a basic account.",
            ),
            (
                "Wait for your tax ID",
                "After registering, your tax identification number arrives by post. You need it for work and training.",
            ),
            (
                "Visit the JMD",
                "The youth migration service near you advises you free of charge – on language, school, training and everything else.",
            ),
        ],
        "faq": [
            (
                "What if I cannot get an appointment at the Bürgeramt?",
                "Book the next free appointment and keep the confirmation. It shows that you acted in time.",
            )
        ],
        "contact": "Not sure where to start? Write to us – we answer within 48 hours.",
    },
    "anerkennung": {
        "title": "Recognition of foreign qualifications",
        "summary": "School certificate, vocational qualification or degree from abroad: how to find out what it is worth in Germany.",
        "intro": "Many professions, such as nursing, may only be practised in Germany with a recognised qualification. A recognised certificate also helps with training and studies.",
        "steps": [
            (
                "Find out who is responsible",
                "Which office checks your qualification depends on the profession and the federal state. The JMD finds the right office with you.",
            ),
            (
                "Collect your documents",
                "Certificates, transcripts, proof of work experience – as copies and translated by a sworn translator.",
            ),
            (
                "Apply",
                "You can often apply from abroad. The check usually takes up to three months once all documents are in.",
            ),
            (
                "Understand the decision",
                "If your qualification is partly equivalent, an adaptation course or exam can lead to full recognition.",
            ),
        ],
        "faq": [
            (
                "How much does recognition cost?",
                "Usually between 100 and 600 euros. Under certain conditions the job centre or a funding programme pays the costs – ask us.",
            ),
            (
                "Do I need recognition for every job?",
                "No. It is only required for regulated professions. For other jobs it shows employers what you can do.",
            ),
        ],
        "contact": "Not sure whether your qualification will be recognised? Ask us – we look at your situation.",
    },
    "ausbildungsplatz-finden": {
        "title": "Finding a training place (Ausbildung)",
        "summary": "Dual vocational training in Germany: how it works, when to apply and who helps you.",
        "intro": "In dual training you learn at a company and at vocational school and are paid from the start. There are over 300 training occupations.",
        "steps": [
            (
                "Explore occupations",
                "Internships show you what suits you. The JMD and the employment agency's career guidance help you choose.",
            ),
            (
                "Apply early",
                "Many companies look for trainees a year before training starts (usually in August or September).",
            ),
            ("Application documents", "Cover letter, CV and certificates – practise with JMD apply."),
            ("Job interview", "Prepare for typical questions. We are happy to practise with you."),
        ],
        "faq": [
            (
                "Is my German good enough for training?",
                "Usually level B1 to B2 is expected. There are job-related language courses, also during training.",
            )
        ],
        "contact": "Looking for a training place? Tell us which occupations interest you.",
    },
    "deutschkurse": {
        "title": "German courses and the integration course",
        "summary": "Which courses exist, who pays and how to get a place.",
        "intro": "The integration course consists of a language course up to level B1 and an orientation course on life, history and law in Germany.",
        "steps": [
            (
                "Check whether you are entitled",
                "Your residence permit often says whether you may or must take part. Otherwise you can apply to the BAMF.",
            ),
            (
                "Find a course provider",
                "There are youth integration courses for young people up to 27 – with more hours and topics for school and work.",
            ),
            ("Costs", "You usually pay a small share per hour; many people are exempt."),
        ],
        "faq": [],
        "contact": "Cannot find a suitable course? We search with you.",
    },
    "wohnung-suchen": {
        "title": "Looking for a flat: what to watch out for",
        "summary": "Basic rent, deposit, Schufa: the key words when looking for a flat.",
        "intro": "Finding a flat is hard in many cities. The right documents and some knowledge of your rights prepare you better.",
        "steps": [
            (
                "Have your documents ready",
                "ID, proof of income or a job centre notice, possibly a certificate that you owe no rent.",
            ),
            (
                "Check offers",
                "Basic rent plus service charges is the total rent. The deposit may be at most three months' basic rent.",
            ),
            ("Beware of fraud", "Never pay before you have seen the flat and have a contract."),
        ],
        "faq": [],
        "contact": "Questions about a tenancy agreement or deposit? Write to us.",
    },
    "schulpflicht": {
        "title": "School in Germany: compulsory schooling and registration",
        "summary": "Who has to go to school, how registration works and what welcome classes are.",
        "intro": "School is compulsory in Germany, in most federal states until the age of 18 (vocational school included).",
        "steps": [
            (
                "Contact the school office",
                "The school office (Schulamt) of your town tells you which school you should go to.",
            ),
            (
                "Welcome class",
                "If your German is not good enough yet, you first learn in a preparatory or welcome class (Willkommensklasse).",
            ),
        ],
        "faq": [],
        "contact": "Questions about school? We help you and your family.",
    },
    "leitfaden-weitervermittlung": {
        "title": "Guide: referring to specialist services",
        "summary": "Internal: when and how online counselors refer to specialist services.",
        "intro": "For topics outside our remit (e.g. asylum procedures, debt, mental health crises) we refer on – with the young person's consent.",
        "steps": [
            ("Clarify the need", "Ask whether the person wants a referral."),
            ("Choose a service", "Use your site's regional network list."),
            ("Document", "Record the referral as an internal note on the case – without health data."),
        ],
        "faq": [],
        "contact": "",
    },
}
