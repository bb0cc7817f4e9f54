# ruff: noqa: E501 - prose reads best one sentence a line
"""Demo articles: the texts in Albanian, by article slug (the shape is described in __init__.py).
Young people are addressed with "ti", staff (the internal guide) with "ju"."""

TEXTS = {
    "ankommen": {
        "title": "Mbërritja në Gjermani: hapat e parë",
        "summary": "Çfarë duhet të bësh në javët e para – dhe ku mund të gjesh ndihmë.",
        "intro": "Sapo ke ardhur në Gjermani? Në fillim duhen bërë shumë gjëra njëherësh. Këta hapa të ndihmojnë t’i mbash të gjitha nën kontroll.",
        "steps": [
            (
                "Regjistro vendbanimin",
                "Regjistrohu brenda dy javëve në zyrën e shërbimeve për qytetarët në qytetin tënd (Bürgeramt). Të duhen pasaporta dhe konfirmimi i qiradhënësit (Wohnungsgeberbestätigung).",
            ),
            (
                "Sigurimi shëndetësor",
                "Në Gjermani çdo person duhet të ketë sigurim shëndetësor. Zgjidh një arkë publike të sigurimit shëndetësor (Krankenkasse) – JMD të ndihmon për këtë.",
            ),
            (
                "Hap një llogari bankare",
                "Të duhet një llogari për rrogën, qiranë dhe kontratën e telefonit. Çdo person ka të drejtë për një llogari bazë (Basiskonto).",
            ),
            (
                "Prit numrin tatimor",
                "Pas regjistrimit, numri yt i identifikimit tatimor (Steuer-ID) të vjen me postë. Të duhet për punë dhe për formim profesional.",
            ),
            (
                "Shko te JMD",
                "Shërbimi i migracionit për të rinjtë (JMD) pranë teje të këshillon falas – për gjuhën, shkollën, formimin profesional dhe për çdo gjë tjetër.",
            ),
        ],
        "faq": [
            (
                "Po sikur të mos marr termin në Bürgeramt?",
                "Rezervo termin e parë të lirë dhe ruaje konfirmimin. Ai tregon që je kujdesur me kohë.",
            ),
        ],
        "contact": "Nuk e di nga t’ia fillosh? Na shkruaj – të përgjigjemi brenda 48 orëve.",
    },
    "anerkennung": {
        "title": "Njohja e diplomave të huaja",
        "summary": "Dëftesë shkolle, diplomë profesionale apo universitare nga jashtë: si ta verifikosh se çfarë vlen diploma jote në Gjermani.",
        "intro": "Shumë profesione në Gjermani mund t’i ushtrosh vetëm me një diplomë të njohur, për shembull në infermieri. Një diplomë e njohur të ndihmon edhe për formimin profesional dhe për studimet.",
        "steps": [
            (
                "Zbulo kush është përgjegjës",
                "Cili institucion e shqyrton diplomën tënde varet nga profesioni dhe nga landi federal. JMD e gjen bashkë me ty institucionin e duhur.",
            ),
            (
                "Mblidh dokumentet",
                "Dëftesat, listën e lëndëve dhe të notave, vërtetimet e përvojës së punës – si kopje dhe të përkthyera nga një përkthyes i betuar.",
            ),
            (
                "Bëj kërkesën",
                "Shpesh mund ta bësh kërkesën që nga jashtë vendit. Shqyrtimi zakonisht zgjat deri në tre muaj pasi të kenë mbërritur të gjitha dokumentet.",
            ),
            (
                "Kupto vendimin",
                "Nëse diploma jote njihet vetëm pjesërisht si e barasvlershme, mund ta arrish njohjen e plotë me një kualifikim përshtatës (Anpassungsqualifizierung) ose me një provim.",
            ),
        ],
        "faq": [
            (
                "Sa kushton njohja?",
                "Zakonisht nga 100 deri në 600 euro. Në disa raste shpenzimet i mbulon Jobcenter-i ose një program mbështetjeje – na pyet.",
            ),
            (
                "A më duhet njohja për çdo punë?",
                "Jo. Ajo është e detyrueshme vetëm për profesionet e rregulluara. Për profesionet e tjera u tregon punëdhënësve se çfarë di të bësh.",
            ),
        ],
        "contact": "Ke dyshime nëse diploma jote do të njihet? Na pyet – e shqyrtojmë situatën tënde.",
    },
    "ausbildungsplatz-finden": {
        "title": "Si të gjesh një vend për formim profesional (Ausbildung)",
        "summary": "Formimi profesional dual në Gjermani: si funksionon, kur të aplikosh dhe kush të ndihmon.",
        "intro": "Në formimin dual mëson në një ndërmarrje dhe në shkollën profesionale dhe merr pagë që në fillim. Ka mbi 300 profesione që mund t’i mësosh në këtë mënyrë.",
        "steps": [
            (
                "Njihu me profesionet",
                "Praktikat të tregojnë se çfarë të përshtatet. JMD dhe këshillimi për karrierën i Agjencisë së Punës (Agentur für Arbeit) të ndihmojnë të zgjedhësh.",
            ),
            (
                "Apliko herët",
                "Shumë ndërmarrje kërkojnë kandidatë që një vit para fillimit të formimit (që zakonisht nis në gusht ose në shtator).",
            ),
            ("Dosja e aplikimit", "Letër motivimi, CV dhe dëftesa – mund të ushtrohesh me JMD apply."),
            ("Intervista", "Përgatitu për pyetjet e zakonshme. Ne ushtrohemi me kënaqësi bashkë me ty."),
        ],
        "faq": [
            (
                "A mjafton gjermanishtja ime për formim profesional?",
                "Zakonisht pritet niveli B1 deri në B2. Ka kurse gjuhe të lidhura me profesionin, edhe gjatë formimit.",
            ),
        ],
        "contact": "Po kërkon një vend formimi? Na shkruaj se cilat profesione të interesojnë.",
    },
    "deutschkurse": {
        "title": "Kurset e gjermanishtes dhe kursi i integrimit",
        "summary": "Çfarë kursesh ka, kush i paguan dhe si të marrësh një vend.",
        "intro": "Kursi i integrimit përbëhet nga një kurs gjuhe deri në nivelin B1 dhe një kurs orientimi për jetën, historinë dhe ligjet në Gjermani.",
        "steps": [
            (
                "Sqaro nëse ke të drejtë",
                "Nëse mund ose duhet të marrësh pjesë, shpesh shkruhet në lejen tënde të qëndrimit. Përndryshe mund të bësh kërkesë në BAMF.",
            ),
            (
                "Gjej organizatorin e kursit",
                "Ka edhe kurse integrimi për të rinjtë deri në 27 vjeç – me më shumë orë dhe me tema për shkollën dhe punën.",
            ),
            (
                "Kostot",
                "Zakonisht paguan një pjesë të vogël për çdo orë; shumë njerëz përjashtohen nga kjo pagesë.",
            ),
        ],
        "faq": [],
        "contact": "Nuk po gjen një kurs të përshtatshëm? E kërkojmë bashkë me ty.",
    },
    "wohnung-suchen": {
        "title": "Kërkimi i banesës: çfarë duhet të kesh parasysh",
        "summary": "Qiraja bazë, depozita, Schufa: fjalët kryesore gjatë kërkimit të banesës.",
        "intro": "Në shumë qytete është e vështirë të gjesh banesë. Me dokumentet e duhura dhe pak njohuri për të drejtat e tua, kërkimi bëhet më i lehtë.",
        "steps": [
            (
                "Mbaji gati dokumentet",
                "Dokumenti i identitetit, vërtetimi i të ardhurave ose vendimi i Jobcenter-it, ndoshta një vërtetim që nuk ke borxhe qiraje (Mietschuldenfreiheitsbescheinigung).",
            ),
            (
                "Kontrollo ofertat",
                "Qiraja bazë (Kaltmiete) plus shpenzimet shtesë (Nebenkosten) jep qiranë e plotë (Warmmiete). Depozita (Kaution) mund të jetë më së shumti sa tri qira bazë.",
            ),
            (
                "Kujdes nga mashtrimet",
                "Mos paguaj kurrë para se ta kesh parë banesën dhe para se të kesh një kontratë.",
            ),
        ],
        "faq": [],
        "contact": "Ke pyetje për kontratën e qirasë ose për depozitën? Na shkruaj.",
    },
    "schulpflicht": {
        "title": "Shkolla në Gjermani: detyrimi shkollor dhe regjistrimi",
        "summary": "Kush duhet të shkojë në shkollë, si bëhet regjistrimi dhe çfarë janë klasat e mirëseardhjes.",
        "intro": "Në Gjermani shkolla është e detyrueshme, zakonisht deri në moshën 18 vjeç, në varësi të landit federal (përfshirë shkollën profesionale).",
        "steps": [
            (
                "Kontakto zyrën arsimore",
                "Zyra arsimore (Schulamt) e qytetit tënd të tregon se në cilën shkollë duhet të shkosh.",
            ),
            (
                "Klasa e mirëseardhjes",
                "Nëse nuk flet ende mjaftueshëm gjermanisht, në fillim mëson në një klasë përgatitore ose në një klasë mirëseardhjeje (Willkommensklasse).",
            ),
        ],
        "faq": [],
        "contact": "Ke pyetje për shkollën? Të ndihmojmë ty dhe familjen tënde.",
    },
    "leitfaden-weitervermittlung": {
        "title": "Udhëzues: referimi te shërbimet e specializuara të këshillimit",
        "summary": "E brendshme: kur dhe si i referojnë këshilltarët online personat te shërbimet e specializuara.",
        "intro": "Për tema jashtë detyrës sonë (p.sh. procedura e azilit, borxhet, krizat psikike) ne e referojmë personin më tej – me pëlqimin e tij ose të saj.",
        "steps": [
            ("Sqaroni nevojën", "Pyesni nëse personi dëshiron të referohet te një shërbim tjetër."),
            ("Zgjidhni shërbimin", "Përdorni listën e rrjetit rajonal të vendndodhjes suaj."),
            (
                "Dokumentoni",
                "Shënojeni referimin si shënim të brendshëm në dosje – pa të dhëna shëndetësore.",
            ),
        ],
        "faq": [],
        "contact": "",
    },
}
