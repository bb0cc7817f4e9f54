# ruff: noqa: E501 - prose reads best one sentence a line
"""Demo articles: the texts in Turkish, by article slug (the shape is described in __init__.py).
Young people are addressed with "sen", staff (the internal guide) with "siz"."""

TEXTS = {
    "ankommen": {
        "title": "Almanya'ya varış: ilk adımlar",
        "summary": "İlk haftalarında yapman gerekenler ve nereden yardım alabileceğin.",
        "intro": "Almanya'da yeni misin? Başlangıçta birçok işi aynı anda halletmen gerekir. Bu adımlar hiçbir şeyi atlamamana yardımcı olur.",
        "steps": [
            (
                "Adres kaydını yaptır",
                "İki hafta içinde şehrindeki vatandaşlık bürosunda (Bürgeramt) kaydını yaptır. Pasaportun ve ev sahibinden alacağın onay belgesi (Wohnungsgeberbestätigung) gerekir.",
            ),
            (
                "Sağlık sigortası",
                "Almanya'da herkesin sağlık sigortası olmalıdır. Yasal bir sağlık sigortası kurumu (Krankenkasse) seç – JMD bu konuda sana yardımcı olur.",
            ),
            (
                "Banka hesabı aç",
                "Maaş, kira ve telefon sözleşmesi için bir hesaba ihtiyacın var. Herkesin temel hesap (Basiskonto) açtırma hakkı vardır.",
            ),
            (
                "Vergi numaranı bekle",
                "Kayıttan sonra vergi kimlik numaran (Steuer-ID) posta ile gelir. Çalışmak ve meslek eğitimi için buna ihtiyacın var.",
            ),
            (
                "JMD'ye git",
                "Yakınındaki Gençlik Göç Servisi (JMD) dil, okul, meslek eğitimi ve diğer tüm konularda sana ücretsiz danışmanlık verir.",
            ),
        ],
        "faq": [
            (
                "Bürgeramt'tan randevu alamazsam ne olur?",
                "İlk boş randevuyu al ve onay belgesini sakla. Bu belge, kaydını zamanında yaptırmaya çalıştığını gösterir.",
            ),
        ],
        "contact": "Nereden başlayacağını bilmiyor musun? Bize yaz – 48 saat içinde cevap veriyoruz.",
    },
    "anerkennung": {
        "title": "Yurt dışı diplomaların denkliği",
        "summary": "Yurt dışından okul, meslek veya üniversite diploması: diplomanın Almanya'da neye denk olduğunu nasıl inceletebilirsin.",
        "intro": "Almanya'da birçok mesleği, örneğin hemşireliği, ancak denkliği tanınmış bir diploma ile yapabilirsin. Tanınmış bir diploma meslek eğitimi ve üniversite için de işine yarar.",
        "steps": [
            (
                "Yetkili kurumu öğren",
                "Diplomanı hangi kurumun inceleyeceği mesleğe ve eyalete bağlıdır. JMD doğru kurumu seninle birlikte bulur.",
            ),
            (
                "Belgeleri topla",
                "Diplomalar, ders ve not dökümü, iş deneyimi belgeleri – fotokopi olarak ve yeminli bir tercüman tarafından çevrilmiş şekilde.",
            ),
            (
                "Başvur",
                "Başvuruyu çoğu zaman daha yurt dışındayken yapabilirsin. Tüm belgeler tamamlandıktan sonra inceleme genellikle üç aya kadar sürer.",
            ),
            (
                "Kararı anla",
                "Diplomana kısmi denklik verilirse bir uyum eğitimi (Anpassungsqualifizierung) ya da sınavla tam denklik alabilirsin.",
            ),
        ],
        "faq": [
            (
                "Denklik ne kadar tutar?",
                "Genellikle 100 ile 600 euro arası. Bazı durumlarda masrafları Jobcenter ya da bir destek programı karşılar – bize sor.",
            ),
            (
                "Her iş için denklik gerekir mi?",
                "Hayır. Sadece yasal olarak düzenlenmiş meslekler için zorunludur. Diğer mesleklerde ise işverenlere neler yapabildiğini gösterir.",
            ),
        ],
        "contact": "Diplomanın tanınıp tanınmayacağından emin değil misin? Bize sor – durumuna birlikte bakalım.",
    },
    "ausbildungsplatz-finden": {
        "title": "Meslek eğitimi (Ausbildung) yeri bulmak",
        "summary": "Almanya'da ikili meslek eğitimi: nasıl işler, ne zaman başvurursun ve sana kim yardım eder.",
        "intro": "İkili meslek eğitiminde hem bir işletmede hem de meslek okulunda öğrenirsin ve en başından itibaren para kazanırsın. 300'den fazla meslek bu şekilde öğrenilebilir.",
        "steps": [
            (
                "Meslekleri tanı",
                "Stajlar sana neyin uygun olduğunu gösterir. JMD ve İş Ajansı'nın (Agentur für Arbeit) meslek danışmanlığı seçim yapmana yardım eder.",
            ),
            (
                "Erken başvur",
                "Birçok işletme eğitim başlamadan bir yıl önce aday arar (eğitim genellikle ağustos ya da eylülde başlar).",
            ),
            ("Başvuru dosyası", "Ön yazı, özgeçmiş ve karneler – bunları JMD apply ile çalışabilirsin."),
            ("İş görüşmesi", "Sık sorulan sorulara hazırlan. Seninle seve seve pratik yaparız."),
        ],
        "faq": [
            (
                "Almancam meslek eğitimi için yeterli mi?",
                "Genellikle B1 ile B2 arası bir seviye beklenir. Mesleğe yönelik dil kursları da var; bunlara eğitim sırasında da katılabilirsin.",
            ),
        ],
        "contact": "Meslek eğitimi yeri mi arıyorsun? Hangi mesleklerin ilgini çektiğini bize yaz.",
    },
    "deutschkurse": {
        "title": "Almanca kursları ve uyum kursu",
        "summary": "Hangi kurslar var, masrafları kim öder ve nasıl yer bulursun.",
        "intro": "Uyum kursu (Integrationskurs), B1 seviyesine kadar bir dil kursundan ve Almanya'daki yaşam, tarih ve hukuk hakkında bir oryantasyon kursundan oluşur.",
        "steps": [
            (
                "Hakkın olup olmadığını öğren",
                "Kursa katılabileceğin ya da katılmak zorunda olduğun çoğu zaman oturum izninde yazar. Yazmıyorsa BAMF'a başvurabilirsin.",
            ),
            (
                "Kurs veren kurumu bul",
                "27 yaşına kadar gençler için gençlik uyum kursları da var – daha fazla ders saati ve okul ile iş hayatına yönelik konularla.",
            ),
            (
                "Masraflar",
                "Genellikle ders saati başına küçük bir katkı payı ödersin; birçok kişi bundan muaftır.",
            ),
        ],
        "faq": [],
        "contact": "Sana uygun bir kurs bulamıyor musun? Seninle birlikte arayalım.",
    },
    "wohnung-suchen": {
        "title": "Ev ararken nelere dikkat etmelisin",
        "summary": "Kaltmiete, depozito, Schufa: ev ararken en önemli kavramlar.",
        "intro": "Birçok şehirde ev bulmak zordur. Doğru belgelerle ve haklarını biraz bilerek daha iyi hazırlanmış olursun.",
        "steps": [
            (
                "Belgelerini hazır tut",
                "Kimlik, gelir belgesi ya da Jobcenter kararı, gerekirse kira borcun olmadığını gösteren belge (Mietschuldenfreiheitsbescheinigung).",
            ),
            (
                "İlanları kontrol et",
                "Yan giderler hariç kira (Kaltmiete) ile yan giderlerin (Nebenkosten) toplamı sıcak kirayı (Warmmiete) verir. Depozito (Kaution) en fazla üç aylık Kaltmiete kadar olabilir.",
            ),
            ("Dolandırıcılığa dikkat", "Evi görmeden ve bir sözleşmen olmadan asla para ödeme."),
        ],
        "faq": [],
        "contact": "Kira sözleşmesi ya da depozito hakkında soruların mı var? Bize yaz.",
    },
    "schulpflicht": {
        "title": "Almanya'da okul: zorunlu eğitim ve okula kayıt",
        "summary": "Kimlerin okula gitmesi gerekir, kayıt nasıl yapılır ve uyum sınıfları nedir.",
        "intro": "Almanya'da okula gitmek zorunludur; eyalete göre genellikle 18 yaşına kadar (meslek okulu zorunluluğu dahil).",
        "steps": [
            (
                "Okul dairesine başvur",
                "Şehrindeki okul dairesi (Schulamt) hangi okula gitmen gerektiğini söyler.",
            ),
            (
                "Uyum sınıfı",
                "Almancan henüz yeterli değilse önce bir hazırlık ya da uyum sınıfında (Willkommensklasse) öğrenirsin.",
            ),
        ],
        "faq": [],
        "contact": "Okul hakkında soruların mı var? Sana ve ailene yardım ederiz.",
    },
    "leitfaden-weitervermittlung": {
        "title": "Rehber: uzman danışma merkezlerine yönlendirme",
        "summary": "Kurum içi: çevrim içi danışmanlar ne zaman ve nasıl uzman merkezlere yönlendirir.",
        "intro": "Görev alanımızın dışındaki konularda (ör. iltica süreci, borçlar, ruhsal krizler) danışanın onayıyla başka merkezlere yönlendiriyoruz.",
        "steps": [
            ("İhtiyacı netleştirin", "Kişinin bir yönlendirme isteyip istemediğini sorun."),
            ("Merkezi seçin", "Biriminizin bölgesel ağ listesini kullanın."),
            ("Kayıt altına alın", "Yönlendirmeyi vakada dahili not olarak kaydedin – sağlık verisi olmadan."),
        ],
        "faq": [],
        "contact": "",
    },
}
