# ruff: noqa: E501 - prose reads best one sentence a line
"""Demo articles: the texts in French, by article slug (the shape is described in __init__.py).
Young people are addressed with "tu", staff (the internal guide) with "vous"."""

TEXTS = {
    "ankommen": {
        "title": "Arriver en Allemagne : les premières étapes",
        "summary": "Ce que tu dois faire pendant tes premières semaines – et où trouver de l’aide.",
        "intro": "Tu viens d’arriver en Allemagne ? Au début, il y a beaucoup de choses à faire en même temps. Ces étapes t’aident à t’y retrouver.",
        "steps": [
            (
                "Déclarer ton domicile",
                "Inscris-toi dans les deux semaines au bureau des citoyens de ta ville (Bürgeramt). Il te faut ton passeport et l’attestation de ton bailleur (Wohnungsgeberbestätigung).",
            ),
            (
                "Assurance maladie",
                "En Allemagne, toute personne doit avoir une assurance maladie. Choisis une caisse d’assurance maladie publique (Krankenkasse) – le JMD t’aide à le faire.",
            ),
            (
                "Ouvrir un compte bancaire",
                "Tu as besoin d’un compte pour ton salaire, ton loyer et ton forfait de téléphone. Toute personne a droit à un compte de base (Basiskonto).",
            ),
            (
                "Attendre ton numéro fiscal",
                "Après ton inscription, ton numéro d’identification fiscale (Steuer-ID) arrive par la poste. Tu en as besoin pour travailler et pour une formation.",
            ),
            (
                "Aller au JMD",
                "Le service migration jeunesse (JMD) près de chez toi te conseille gratuitement – sur la langue, l’école, la formation et tout le reste.",
            ),
        ],
        "faq": [
            (
                "Et si je n’obtiens pas de rendez-vous au Bürgeramt ?",
                "Réserve le prochain rendez-vous libre et garde la confirmation. Elle prouve que tu as fait la démarche à temps.",
            ),
        ],
        "contact": "Tu ne sais pas par où commencer ? Écris-nous – nous répondons sous 48 heures.",
    },
    "anerkennung": {
        "title": "Reconnaissance des diplômes étrangers",
        "summary": "Bulletin scolaire, diplôme professionnel ou universitaire obtenu à l’étranger : comment faire vérifier ce que vaut ton diplôme en Allemagne.",
        "intro": "En Allemagne, beaucoup de métiers ne peuvent être exercés qu’avec un diplôme reconnu, par exemple dans les soins infirmiers. Un diplôme reconnu t’aide aussi pour une formation ou des études.",
        "steps": [
            (
                "Savoir qui est compétent",
                "L’organisme qui examine ton diplôme dépend du métier et du Land. Le JMD cherche avec toi le bon organisme.",
            ),
            (
                "Rassembler les documents",
                "Diplômes, relevés des matières et des notes, justificatifs d’expérience professionnelle – en copie et traduits par un traducteur assermenté ou une traductrice assermentée.",
            ),
            (
                "Déposer la demande",
                "Tu peux souvent faire la demande depuis l’étranger. L’examen dure en général jusqu’à trois mois une fois que tous les documents sont arrivés.",
            ),
            (
                "Comprendre la décision",
                "Si ton diplôme n’est reconnu équivalent qu’en partie, une formation d’adaptation (Anpassungsqualifizierung) ou un examen peut te permettre d’obtenir la pleine reconnaissance.",
            ),
        ],
        "faq": [
            (
                "Combien coûte la reconnaissance ?",
                "En général entre 100 et 600 euros. Dans certains cas, le Jobcenter ou un programme d’aide prend les frais en charge – demande-nous.",
            ),
            (
                "Ai-je besoin de la reconnaissance pour tous les emplois ?",
                "Non. Elle n’est obligatoire que pour les professions réglementées. Pour les autres métiers, elle montre aux employeurs ce que tu sais faire.",
            ),
        ],
        "contact": "Tu ne sais pas si ton diplôme sera reconnu ? Demande-nous – nous examinons ta situation.",
    },
    "ausbildungsplatz-finden": {
        "title": "Trouver une place en formation professionnelle (Ausbildung)",
        "summary": "La formation en alternance en Allemagne : comment elle fonctionne, quand postuler et qui peut t’aider.",
        "intro": "En formation en alternance, tu apprends en entreprise et à l’école professionnelle, et tu reçois une rémunération dès le début. Plus de 300 métiers s’apprennent de cette façon.",
        "steps": [
            (
                "Découvrir les métiers",
                "Les stages te montrent ce qui te convient. Le JMD et le service d’orientation professionnelle de l’agence pour l’emploi (Agentur für Arbeit) t’aident à choisir.",
            ),
            (
                "Postuler tôt",
                "Beaucoup d’entreprises recrutent déjà un an avant le début de la formation (qui commence le plus souvent en août ou en septembre).",
            ),
            (
                "Dossier de candidature",
                "Lettre de motivation, CV et bulletins – tu peux t’entraîner avec JMD apply.",
            ),
            (
                "Entretien d’embauche",
                "Prépare-toi aux questions habituelles. Nous nous entraînons volontiers avec toi.",
            ),
        ],
        "faq": [
            (
                "Mon allemand est-il suffisant pour une formation ?",
                "On attend en général un niveau B1 à B2. Il existe des cours de langue à visée professionnelle, aussi pendant la formation.",
            ),
        ],
        "contact": "Tu cherches une place en formation ? Écris-nous quels métiers t’intéressent.",
    },
    "deutschkurse": {
        "title": "Cours d’allemand et cours d’intégration",
        "summary": "Quels cours existent, qui les paie et comment obtenir une place.",
        "intro": "Le cours d’intégration se compose d’un cours de langue jusqu’au niveau B1 et d’un cours d’orientation sur la vie, l’histoire et le droit en Allemagne.",
        "steps": [
            (
                "Vérifier ton droit au cours",
                "Ton titre de séjour indique souvent si tu peux ou si tu dois y participer. Sinon, tu peux faire une demande auprès du BAMF.",
            ),
            (
                "Trouver un organisme de cours",
                "Il existe aussi des cours d’intégration pour les jeunes jusqu’à 27 ans – avec plus d’heures et des thèmes liés à l’école et au travail.",
            ),
            (
                "Coûts",
                "En général, tu paies une petite participation par heure ; beaucoup de personnes en sont dispensées.",
            ),
        ],
        "faq": [],
        "contact": "Tu ne trouves pas de cours qui te convient ? Nous cherchons avec toi.",
    },
    "wohnung-suchen": {
        "title": "Chercher un logement : à quoi faire attention",
        "summary": "Loyer hors charges, caution, Schufa : les mots clés de la recherche de logement.",
        "intro": "Dans beaucoup de villes, trouver un logement est difficile. Avec les bons documents et quelques connaissances sur tes droits, ta recherche sera plus facile.",
        "steps": [
            (
                "Préparer tes documents",
                "Pièce d’identité, justificatif de revenus ou décision du Jobcenter, éventuellement une attestation d’absence de dettes de loyer (Mietschuldenfreiheitsbescheinigung).",
            ),
            (
                "Vérifier les offres",
                "Le loyer hors charges (Kaltmiete) plus les charges (Nebenkosten) donne le loyer charges comprises (Warmmiete). La caution (Kaution) ne peut pas dépasser trois loyers hors charges.",
            ),
            ("Attention aux arnaques", "Ne paie jamais avant d’avoir vu le logement et d’avoir un contrat."),
        ],
        "faq": [],
        "contact": "Des questions sur ton bail ou la caution ? Écris-nous.",
    },
    "schulpflicht": {
        "title": "L’école en Allemagne : obligation scolaire et inscription",
        "summary": "Qui doit aller à l’école, comment se passe l’inscription et ce que sont les classes d’accueil.",
        "intro": "En Allemagne, l’école est obligatoire, le plus souvent jusqu’à 18 ans selon le Land (école professionnelle comprise).",
        "steps": [
            (
                "Contacter l’office scolaire",
                "L’office scolaire (Schulamt) de ta ville te dit de quelle école tu dépends.",
            ),
            (
                "Classe d’accueil",
                "Si tu ne parles pas encore assez bien allemand, tu apprends d’abord dans une classe préparatoire ou une classe d’accueil (Willkommensklasse).",
            ),
        ],
        "faq": [],
        "contact": "Des questions sur l’école ? Nous t’aidons, toi et ta famille.",
    },
    "leitfaden-weitervermittlung": {
        "title": "Guide : orienter vers des services spécialisés",
        "summary": "Interne : quand et comment les conseillères et conseillers en ligne orientent vers des services spécialisés.",
        "intro": "Pour les sujets hors de notre mission (p. ex. procédure d’asile, dettes, crises psychiques), nous orientons vers d’autres services – avec l’accord de la personne accompagnée.",
        "steps": [
            ("Clarifier le besoin", "Demandez si la personne souhaite être orientée vers un autre service."),
            ("Choisir un service", "Utilisez la liste du réseau régional de votre site."),
            ("Documenter", "Notez l’orientation dans une note interne du dossier – sans données de santé."),
        ],
        "faq": [],
        "contact": "",
    },
}
