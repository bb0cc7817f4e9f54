# ruff: noqa: E501 - prose reads best one sentence a line
"""Demo articles for the knowledge base: German source, English, and some Arabic, Russian and Turkish.

Each entry: slug, topics, audience, review_by offset in days (negative: overdue), and per language a
title, a summary and blocks as (type, value) pairs in a compact form that demo.py expands.
"""

ARTICLES = [
    {
        "slug": "ankommen",
        "topics": ["arrival"],
        "review_in_days": 120,
        "de": {
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
                ),
            ],
            "contact": "Du weißt nicht, womit du anfangen sollst? Schreib uns – wir antworten innerhalb von 48 Stunden.",
        },
        "en": {
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
                ),
            ],
            "contact": "Not sure where to start? Write to us – we answer within 48 hours.",
        },
        "ar": {
            "title": "الوصول إلى ألمانيا: الخطوات الأولى",
            "summary": "ما الذي يجب أن تفعله في أسابيعك الأولى، وأين تجد المساعدة.",
            "intro": "جديد في ألمانيا؟ في البداية هناك أمور كثيرة يجب القيام بها في وقت واحد. هذه الخطوات تساعدك على تنظيمها.",
            "steps": [
                (
                    "تسجيل السكن",
                    "سجّل عنوانك في مكتب المواطنين (Bürgeramt) خلال أسبوعين. أحضر جواز سفرك وتأكيد المؤجر.",
                ),
                (
                    "التأمين الصحي",
                    "يجب أن يكون لكل شخص في ألمانيا تأمين صحي. اختر صندوق تأمين قانوني، ومركز JMD يساعدك في ذلك.",
                ),
                ("فتح حساب بنكي", "تحتاج إلى حساب للراتب والإيجار وعقد الهاتف. لكل شخص الحق في حساب أساسي."),
                (
                    "انتظار الرقم الضريبي",
                    "بعد التسجيل يصلك رقمك الضريبي بالبريد. تحتاجه للعمل والتدريب المهني.",
                ),
                (
                    "زيارة JMD",
                    "خدمة هجرة الشباب القريبة منك تقدم لك الاستشارة مجانًا في اللغة والمدرسة والتدريب وكل شيء آخر.",
                ),
            ],
            "faq": [],
            "contact": "لا تعرف من أين تبدأ؟ اكتب لنا، نجيب خلال 48 ساعة.",
        },
        "ru": {
            "title": "Прибытие в Германию: первые шаги",
            "summary": "Что нужно сделать в первые недели и где получить помощь.",
            "intro": "Ты недавно в Германии? В начале нужно сделать много дел одновременно. Эти шаги помогут ничего не упустить.",
            "steps": [
                (
                    "Зарегистрироваться по месту жительства",
                    "Зарегистрируйся в ведомстве (Bürgeramt) в течение двух недель. Возьми паспорт и подтверждение арендодателя.",
                ),
                (
                    "Медицинская страховка",
                    "В Германии у каждого должна быть медицинская страховка. Выбери государственную больничную кассу – JMD поможет.",
                ),
                (
                    "Открыть банковский счёт",
                    "Счёт нужен для зарплаты, аренды и договора на телефон. Каждый имеет право на базовый счёт.",
                ),
                ("Налоговый номер", "После регистрации налоговый идентификационный номер придёт по почте."),
                (
                    "Прийти в JMD",
                    "Молодёжная миграционная служба рядом с тобой бесплатно консультирует по языку, школе, обучению и другим вопросам.",
                ),
            ],
            "faq": [],
            "contact": "Не знаешь, с чего начать? Напиши нам – мы ответим в течение 48 часов.",
        },
        "tr": {
            "title": "Almanya'ya varış: ilk adımlar",
            "summary": "İlk haftalarında yapman gerekenler ve nereden yardım alabileceğin.",
            "intro": "Almanya'da yeni misin? Başlangıçta birçok işi aynı anda yapmak gerekir. Bu adımlar düzeni korumana yardımcı olur.",
            "steps": [
                (
                    "Adres kaydı",
                    "İki hafta içinde şehrinin vatandaşlık bürosuna (Bürgeramt) kaydını yaptır. Pasaportunu ve ev sahibinin onayını götür.",
                ),
                (
                    "Sağlık sigortası",
                    "Almanya'da herkesin sağlık sigortası olmalıdır. Yasal bir sağlık sigortası seç – JMD sana yardımcı olur.",
                ),
                (
                    "Banka hesabı aç",
                    "Maaş, kira ve telefon sözleşmesi için bir hesaba ihtiyacın var. Herkesin temel hesap hakkı vardır.",
                ),
                ("Vergi numarasını bekle", "Kayıttan sonra vergi kimlik numaran posta ile gelir."),
                (
                    "JMD'ye git",
                    "Yakınındaki gençlik göç servisi dil, okul, meslek eğitimi ve diğer konularda ücretsiz danışmanlık verir.",
                ),
            ],
            "faq": [],
            "contact": "Nereden başlayacağını bilmiyor musun? Bize yaz – 48 saat içinde cevap veriyoruz.",
        },
    },
    {
        "slug": "anerkennung",
        "topics": ["recognition", "work"],
        "review_in_days": -10,
        "de": {
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
        "en": {
            "title": "Recognition of foreign qualifications",
            "summary": "School certificate, vocational qualification or degree from abroad: how to find out what it is worth in Germany.",
            "intro": "Some professions, such as nursing, may only be practised in Germany with a recognised qualification. A recognised certificate also helps with training and studies.",
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
                    "Usually between 100 and 600 euros. The job centre or a funding programme may pay – ask us.",
                ),
            ],
            "contact": "Not sure whether your qualification will be recognised? Ask us – we look at your situation.",
        },
        "ar": {
            "title": "الاعتراف بالشهادات الأجنبية",
            "summary": "شهادة مدرسية أو مهنية أو جامعية من الخارج: كيف تعرف قيمتها في ألمانيا.",
            "intro": "بعض المهن مثل التمريض لا يمكن ممارستها في ألمانيا إلا بشهادة معترف بها. كما تساعدك الشهادة المعترف بها في التدريب المهني والدراسة.",
            "steps": [
                (
                    "اعرف الجهة المسؤولة",
                    "الجهة التي تدرس شهادتك تعتمد على المهنة والولاية. مركز JMD يساعدك في إيجادها.",
                ),
                ("اجمع الوثائق", "الشهادات وكشف العلامات وإثبات الخبرة المهنية، مع ترجمة من مترجم محلف."),
                ("قدّم الطلب", "يمكنك غالبًا تقديم الطلب من الخارج. يستغرق الفحص عادة حتى ثلاثة أشهر."),
            ],
            "faq": [],
            "contact": "لست متأكدًا إن كانت شهادتك ستُعترف بها؟ اسألنا.",
        },
        "tr": {
            "title": "Yurt dışı diplomaların denkliği",
            "summary": "Yurt dışından okul, meslek veya üniversite diploması: Almanya'da ne kadar geçerli olduğunu nasıl öğrenirsin.",
            "intro": "Hemşirelik gibi bazı meslekler Almanya'da yalnızca denkliği tanınmış bir diploma ile yapılabilir.",
            "steps": [
                (
                    "Yetkili kurumu bul",
                    "Diplomanı hangi kurumun inceleyeceği mesleğe ve eyalete bağlıdır. JMD seninle birlikte bulur.",
                ),
                (
                    "Belgeleri topla",
                    "Diplomalar, not dökümü, iş deneyimi belgeleri – yeminli tercüman tarafından çevrilmiş olarak.",
                ),
                (
                    "Başvur",
                    "Çoğu zaman yurt dışından da başvurabilirsin. İnceleme genellikle üç aya kadar sürer.",
                ),
            ],
            "faq": [],
            "contact": "Diplomanın tanınıp tanınmayacağından emin değil misin? Bize sor.",
        },
    },
    {
        "slug": "ausbildungsplatz-finden",
        "topics": ["work", "school"],
        "review_in_days": 200,
        "de": {
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
                (
                    "Bewerbungsmappe",
                    "Anschreiben, Lebenslauf und Zeugnisse – üben kannst du das mit JMD apply.",
                ),
                ("Vorstellungsgespräch", "Bereite dich auf typische Fragen vor. Wir üben das gern mit dir."),
            ],
            "faq": [
                (
                    "Reicht mein Deutsch für eine Ausbildung?",
                    "Meist wird Niveau B1 bis B2 erwartet. Es gibt berufsbezogene Sprachkurse, auch während der Ausbildung.",
                ),
            ],
            "contact": "Du suchst einen Ausbildungsplatz? Schreib uns, welche Berufe dich interessieren.",
        },
        "en": {
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
                ),
            ],
            "contact": "Looking for a training place? Tell us which occupations interest you.",
        },
        "ru": {
            "title": "Как найти место для профессионального обучения",
            "summary": "Дуальное обучение в Германии: как оно устроено, когда подавать заявку и кто поможет.",
            "intro": "В дуальном обучении ты учишься на предприятии и в профессиональной школе и с самого начала получаешь деньги.",
            "steps": [
                (
                    "Узнать профессии",
                    "Практика покажет, что тебе подходит. JMD и профориентация агентства занятости помогут с выбором.",
                ),
                ("Подать заявку заранее", "Многие предприятия ищут учеников за год до начала обучения."),
                ("Документы", "Сопроводительное письмо, резюме и аттестаты – потренируйся с JMD apply."),
            ],
            "faq": [],
            "contact": "Ищешь место для обучения? Напиши нам, какие профессии тебя интересуют.",
        },
    },
    {
        "slug": "deutschkurse",
        "topics": ["language"],
        "review_in_days": 60,
        "de": {
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
        "en": {
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
        "ar": {
            "title": "دورات اللغة الألمانية ودورة الاندماج",
            "summary": "ما هي الدورات المتاحة، ومن يدفع تكاليفها، وكيف تحصل على مكان.",
            "intro": "تتكون دورة الاندماج من دورة لغة حتى المستوى B1 ودورة توجيهية عن الحياة والتاريخ والقانون في ألمانيا.",
            "steps": [
                ("تحقق من حقك في المشاركة", "غالبًا ما يذكر تصريح إقامتك إن كان يحق لك أو يجب عليك المشاركة."),
                ("ابحث عن مقدم الدورة", "توجد دورات اندماج خاصة بالشباب حتى سن 27."),
            ],
            "faq": [],
            "contact": "لم تجد دورة مناسبة؟ نبحث معك.",
        },
    },
    {
        "slug": "wohnung-suchen",
        "topics": ["housing", "money"],
        "review_in_days": 30,
        "de": {
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
                (
                    "Vorsicht bei Betrug",
                    "Zahle nie Geld, bevor du die Wohnung gesehen und einen Vertrag hast.",
                ),
            ],
            "faq": [],
            "contact": "Fragen zu Mietvertrag oder Kaution? Schreib uns.",
        },
        "en": {
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
    },
    {
        "slug": "schulpflicht",
        "topics": ["school"],
        "review_in_days": -40,
        "de": {
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
    },
    {
        "slug": "leitfaden-weitervermittlung",
        "topics": ["other"],
        "audience": "internal",
        "review_in_days": 90,
        "de": {
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
        "en": {
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
    },
]
