"""Made-up offers of the demo with innovative methods (Agilität, Design Thinking, New Work).

Written as providers write them. Most address companies, state and federal
administration or civil society, and only a few municipal staff: the landscape analysis
shows this gap. Codes are explained in ``demo_codes``; see ``demo.load_atlas_demo``.

Each row: (title, provider, format, methods, target groups, topics, delivery, cost,
hours, days until start or None, certificate, summary, description, learning goals).
"""

INNOVATIVE_OFFERS = [
    (
        "Design Thinking kompakt: Vom Problem zur Idee an zwei Tagen",
        "Agile Beispiel GmbH",
        "WS",
        "DT",
        "UN LB",
        "VMo",
        "praesenz",
        1450,
        14,
        40,
        False,
        "Zweitägiger Einstieg in Design Thinking mit echtem Praxisfall, Nutzerinterviews "
        "und ersten Prototypen aus Papier und Karton.",
        "Sie durchlaufen an zwei Tagen einen vollständigen Design-Thinking-Zyklus: Sie "
        "verstehen ein Problem aus Sicht der Nutzer:innen, entwickeln Ideen im Team und "
        "testen einfache Prototypen. Die Gruppe ist auf 16 Personen begrenzt; Material und "
        "Verpflegung sind im Preis enthalten.",
        "Den Design-Thinking-Prozess erklären, Interviews führen und auswerten, einen "
        "Prototyp bauen und mit Nutzer:innen testen.",
    ),
    (
        "Scrum Master Grundlagen mit Zertifikatsprüfung",
        "Agile Beispiel GmbH",
        "WS",
        "AG",
        "UN LB",
        "ZA",
        "online",
        2400,
        24,
        65,
        True,
        "Dreitägige Weiterbildung zur Rolle Scrum Master, vorbereitend auf eine "
        "international anerkannte Zertifizierung.",
        "Rollen, Ereignisse und Artefakte von Scrum, dazu viele Übungen in Kleingruppen. "
        "Am Ende steht eine Online-Prüfung, deren Gebühr im Preis enthalten ist. Die "
        "Weiterbildung findet live in einem virtuellen Raum statt.",
        "Scrum-Ereignisse moderieren, Hindernisse im Team sichtbar machen, die Rolle des "
        "Scrum Masters von der Projektleitung abgrenzen.",
    ),
    (
        "Kanban im Fachbereich: Arbeit sichtbar machen",
        "Verwaltungswerkstatt Beispielstadt",
        "WS",
        "AG",
        "VM FK",
        "ZA VMo",
        "praesenz@09",
        0,
        4,
        21,
        True,
        "Halbtägiger Workshop für Teams in der Verwaltung, die Vorgänge, Anträge und "
        "Projekte an einer gemeinsamen Tafel planen wollen.",
        "Viele Teams im Amt haben mehr Vorgänge als Überblick. In diesem Workshop bauen Sie "
        "ein Kanban-Board für Ihren eigenen Arbeitsbereich, legen Regeln für die "
        "Weitergabe fest und vereinbaren ein kurzes tägliches Treffen. Bringen Sie gern "
        "eine Kollegin oder einen Kollegen aus Ihrem Team mit.",
        "Ein Kanban-Board einrichten, Engpässe erkennen, Work-in-Progress-Grenzen im Team "
        "vereinbaren.",
    ),
    (
        "Agile Verwaltung – Einführung für Landesbehörden",
        "Bundesbeispielamt für Weiterbildung",
        "LP",
        "AG",
        "LB",
        "VMo",
        "online",
        0,
        16,
        30,
        True,
        "Lernpfad in vier Modulen über agile Werte, Methoden und ihre Grenzen im "
        "öffentlichen Dienst von Bund und Ländern.",
        "Der Lernpfad verbindet kurze Videos, Lesetexte und zwei Live-Sitzungen. Er zeigt, "
        "wo agile Methoden zu Haushaltsrecht und Zuständigkeiten passen und wo nicht. "
        "Zugelassen sind Beschäftigte von Bundes- und Landesbehörden.",
        "Agile Werte und Prinzipien benennen, geeignete Vorhaben erkennen, einen ersten "
        "Sprint planen.",
    ),
    (
        "New Work Summit Beispielstadt",
        "Hochschule Beispielstadt",
        "KF",
        "NW",
        "UN ZG",
        "PE ZA",
        "praesenz@05",
        490,
        14,
        120,
        False,
        "Zwei Tage Vorträge, Barcamp und Werkstätten rund um neue Arbeitsformen, "
        "Arbeitsorte und Führung ohne Hierarchie.",
        "Der Summit bringt Menschen aus Unternehmen, Start-ups und Zivilgesellschaft "
        "zusammen. Am ersten Tag sprechen Gäste aus Forschung und Praxis, am zweiten "
        "gestalten die Teilnehmenden das Programm im Barcamp selbst.",
        "",
    ),
    (
        "Service Design für digitale Bürgerdienste",
        "Beispiel Consulting Partner GmbH",
        "BB",
        "DT",
        "LB",
        "DI",
        "hybrid",
        8900,
        40,
        None,
        False,
        "Begleitung eines Projektteams über acht Wochen: Nutzerforschung, Journey Maps und "
        "Prototypen für einen Online-Antrag.",
        "Wir begleiten Ihr Team von der ersten Nutzerbefragung bis zum klickbaren "
        "Prototyp. Das Angebot richtet sich an Behörden, die einen Onlinedienst neu "
        "gestalten. Umfang und Preis richten sich nach dem Vorhaben; der genannte Betrag "
        "gilt für ein Team von bis zu acht Personen.",
        "Nutzerbedürfnisse erheben, eine Customer Journey zeichnen, Anforderungen für die "
        "Umsetzung ableiten.",
    ),
    (
        "Design Thinking in der Jugendhilfeplanung",
        "Stiftung Musterland",
        "WS",
        "DT MB",
        "JHP FT",
        "JH BE",
        "praesenz@09",
        0,
        12,
        55,
        True,
        "Zwei halbe Tage für Planungsfachkräfte, die Angebote mit Jugendlichen und Familien "
        "gemeinsam entwickeln wollen.",
        "Jugendhilfeplanung lebt von Beteiligung, doch oft fehlt die Zeit für neue Wege. "
        "Wir üben an einem Fall aus Ihrem Landkreis, wie Sie mit Interviews, Personas und "
        "schnellen Prototypen die Sicht junger Menschen einholen. Die Teilnahme ist dank "
        "Förderung der Stiftung kostenfrei; eine Teilnahmebescheinigung wird ausgestellt.",
        "Personas aus Gesprächen ableiten, einen Beteiligungsworkshop mit Jugendlichen "
        "vorbereiten, Ergebnisse in die Planung übertragen.",
    ),
    (
        "Agile Führung: Teams stärken statt steuern",
        "Beispiel-Akademie für Verwaltung",
        "WS",
        "AG FU",
        "UN LB",
        "PE",
        "online",
        1190,
        16,
        75,
        True,
        "Weiterbildung für Führungskräfte, die Verantwortung ins Team geben und trotzdem "
        "den Überblick behalten wollen.",
        "In vier Online-Sitzungen zu je vier Stunden arbeiten Sie an Ihrer Rolle als "
        "Führungskraft in agilen Teams: Ziele vereinbaren, Entscheidungen delegieren, "
        "Feedback geben. Zwischen den Sitzungen erproben Sie eine Übung im eigenen Team.",
        "Delegationsstufen anwenden, OKR kennen, Feedbackgespräche agil gestalten.",
    ),
    (
        "Retrospektiven moderieren – Werkzeugkoffer",
        "Initiative Beispielwandel",
        "WS",
        "AG MB",
        "ZG FT",
        "ZA",
        "online",
        90,
        3,
        18,
        False,
        "Kurzes Online-Training mit zehn erprobten Formaten für Rückblicke im Team.",
        "Eine gute Retrospektive braucht keine langen Vorbereitungen. Sie lernen zehn "
        "Formate kennen, probieren drei davon selbst aus und erhalten eine Vorlagensammlung "
        "zum Weiterverwenden.",
        "Eine Retrospektive vorbereiten und moderieren, passende Formate auswählen.",
    ),
    (
        "Selbstorganisation im Team – Holacracy und Soziokratie im Vergleich",
        "Beispiel-Akademie Nord",
        "WS",
        "NW",
        "UN ZG",
        "ZA",
        "praesenz@02",
        690,
        8,
        90,
        False,
        "Eintägiges Seminar über Modelle der Selbstorganisation und ihre Voraussetzungen.",
        "Was passiert, wenn Teams selbst entscheiden? Wir stellen Holacracy, Soziokratie "
        "und Mischformen vor und diskutieren Erfahrungen aus Unternehmen und Vereinen.",
        "Modelle der Selbstorganisation unterscheiden, Voraussetzungen im eigenen Umfeld "
        "einschätzen.",
    ),
    (
        "Design Thinking für Rathäuser: Bürgerservice neu denken",
        "Verwaltungswerkstatt Beispielstadt",
        "LP",
        "DT",
        "VM VS",
        "VMo DI",
        "hybrid",
        0,
        20,
        45,
        True,
        "Lernpfad für Teams aus Bürgerbüro, Ordnungsamt und Digitalisierung, die einen "
        "Dienst aus Sicht der Bürger:innen verbessern wollen.",
        "Über zehn Wochen bearbeiten Teams aus Kommunen eine eigene Fragestellung, etwa die "
        "Terminvergabe im Bürgerbüro. Drei Präsenztage wechseln mit kurzen Online-Einheiten. "
        "Die Verwaltungsspitze ist zum Abschluss eingeladen, damit Ergebnisse nicht in der "
        "Schublade landen.",
        "Eine Fragestellung aus Nutzersicht formulieren, Prototypen testen, Ergebnisse der "
        "Verwaltungsspitze vorstellen.",
    ),
    (
        "Hybride Zusammenarbeit gestalten",
        "Beispiel Consulting Partner GmbH",
        "WS",
        "NW",
        "UN",
        "ZA PE",
        "online",
        950,
        6,
        28,
        False,
        "Online-Workshop über Regeln, Rituale und Werkzeuge für Teams zwischen Büro und "
        "mobilem Arbeiten.",
        "Wann treffen wir uns vor Ort, was klären wir schriftlich? Sie entwickeln eine "
        "Teamvereinbarung für hybride Arbeit und lernen digitale Whiteboards kennen.",
        "Eine Teamvereinbarung entwerfen, digitale Werkzeuge gezielt einsetzen.",
    ),
    (
        "Innovationslabor öffentlicher Sektor – Fellowship",
        "Musterstiftung Zukunft Kommune",
        "FP",
        "DT NW",
        "LB ZG",
        "VMo",
        "hybrid",
        0,
        120,
        150,
        True,
        "Einjähriges Fellowship für Menschen, die in Behörden neue Ideen ausprobieren "
        "wollen, mit Coaching, Netzwerk und kleinem Projektbudget.",
        "Zwölf Fellows erhalten ein Jahr lang monatliche Coachings, drei Präsenzwochen und "
        "bis zu 5.000 Euro für ein eigenes Experiment. Bewerben können sich Beschäftigte "
        "von Landes- und Bundesbehörden sowie Engagierte aus der Zivilgesellschaft.",
        "Ein Experiment planen und auswerten, mit Methoden aus Design Thinking arbeiten, "
        "ein Netzwerk über Behördengrenzen aufbauen.",
    ),
    (
        "Agile Projekte im Jugendamt – Praxiswerkstatt",
        "Landesinstitut Musterland",
        "WS",
        "AG PM",
        "JAL JHP",
        "JH PS",
        "praesenz@09",
        0,
        8,
        100,
        True,
        "Eintägige Fortbildung für Leitung und Planung im Jugendamt: agile Elemente in "
        "laufenden Projekten erproben.",
        "Kita-Ausbau, Hilfeplanverfahren, neue Software – viele Vorhaben im Jugendamt "
        "ändern sich unterwegs. Die Praxiswerkstatt zeigt, welche agilen Elemente sich im "
        "Amt bewährt haben, und bereitet einen kleinen Versuch in Ihrem Haus vor. Die "
        "Fortbildung ist vom Land anerkannt.",
        "Vorhaben in Etappen planen, kurze Abstimmungsrunden einführen, Erfahrungen auswerten.",
    ),
    (
        "Barcamp Neues Arbeiten",
        "Netzwerk Musterregion e.V.",
        "KF",
        "NW",
        "ZG FT",
        "ZA",
        "praesenz@06",
        25,
        7,
        60,
        False,
        "Ein Tag, an dem die Teilnehmenden das Programm selbst gestalten: Sessions zu "
        "Arbeitszeit, Teamkultur und Ehrenamt.",
        "Beim Barcamp gibt es keine festen Vorträge. Wer ein Thema mitbringt, schlägt es "
        "morgens vor; daraus entsteht der Plan des Tages. Der Beitrag deckt Raum und "
        "Verpflegung.",
        "",
    ),
    (
        "Prototyping für Behörden: schnell testen, früh lernen",
        "Hochschule Beispielstadt",
        "WS",
        "DT",
        "LB",
        "DI",
        "praesenz@08",
        380,
        8,
        85,
        True,
        "Zertifikatskurs der Hochschule zum Bauen und Testen einfacher Prototypen für "
        "Formulare, Briefe und Webseiten.",
        "Sie lernen Papierprototypen, Klick-Dummies und Rollenspiele als Mittel kennen, um "
        "Ideen vor der Ausschreibung zu prüfen. Der Kurs ist Teil des Weiterbildungsangebots "
        "für Landesbedienstete.",
        "Geeignete Prototypen auswählen, einen Test mit Nutzer:innen durchführen, "
        "Ergebnisse dokumentieren.",
    ),
    (
        "Agile Coaching Ausbildung",
        "Beispiel Consulting Partner GmbH",
        "LP",
        "AG",
        "UN",
        "PE",
        "hybrid",
        4900,
        96,
        110,
        True,
        "Berufsbegleitende Ausbildung zum Agile Coach in sechs Modulen mit Supervision.",
        "Die Ausbildung dauert ein halbes Jahr und verbindet Präsenzmodule mit Peer-Gruppen "
        "und Supervision. Sie richtet sich an Menschen, die Teams und Organisationen in "
        "agilen Veränderungen begleiten.",
        "Teams coachen, Konflikte moderieren, agile Transformation begleiten.",
    ),
    (
        "Podcast „Verwaltung anders denken“",
        "Initiative Beispielwandel",
        "BP",
        "NW AG",
        "LB ZG",
        "VMo",
        "online",
        0,
        1,
        None,
        False,
        "Alle zwei Wochen ein Gespräch mit Menschen, die in Behörden und Initiativen neue "
        "Arbeitsweisen ausprobieren.",
        "Im Podcast erzählen Gäste, was funktioniert hat und was nicht: vom Open-Space in "
        "der Landesbehörde bis zum Coworking im Ministerium.",
        "",
    ),
    (
        "Objectives and Key Results einführen",
        "Beispiel-Akademie Nord",
        "WS",
        "AG WO",
        "UN",
        "PS",
        "online",
        780,
        6,
        35,
        False,
        "Online-Seminar zur Zielsteuerung mit OKR: Ziele formulieren, Ergebnisse messen.",
        "OKR verbinden ehrgeizige Ziele mit überprüfbaren Ergebnissen. Sie formulieren "
        "eigene OKR, lernen typische Fehler kennen und planen die Einführung in drei Schritten.",
        "OKR formulieren, einen Check-in-Rhythmus festlegen, Ergebnisse auswerten.",
    ),
    (
        "Community of Practice Agile Behörden",
        "Bundesbeispielamt für Weiterbildung",
        "CN",
        "AG",
        "LB",
        "ZA VMo",
        "online",
        0,
        2,
        None,
        False,
        "Monatlicher Austausch für Beschäftigte aus Bundes- und Landesbehörden, die agil "
        "arbeiten oder es vorhaben.",
        "Einmal im Monat treffen sich die Mitglieder online für neunzig Minuten. Jede "
        "Runde beginnt mit einem Praxisbericht, danach wird in kleinen Gruppen beraten.",
        "",
    ),
    (
        "Innovationsmethoden für Vereine und Initiativen",
        "Stiftung Musterland",
        "WS",
        "DT",
        "ZG FT",
        "BE",
        "online",
        0,
        6,
        50,
        False,
        "Zwei Online-Abende mit Werkzeugen aus Design Thinking für Ehrenamtliche und freie Träger.",
        "Wie gewinnen wir neue Mitglieder, wie gestalten wir ein Angebot, das Familien "
        "wirklich nutzen? An zwei Abenden lernen Sie einfache Methoden, die ohne Budget "
        "auskommen.",
        "Interviews führen, Ideen bewerten, einen ersten Test planen.",
    ),
    (
        "New Work in der Kommune: Arbeitswelten im Rathaus",
        "Städtetag Musterland",
        "PL",
        "NW",
        "VS FK",
        "PE VMo",
        "online",
        0,
        2,
        None,
        False,
        "Handreichung mit Beispielen zu Desk-Sharing, mobiler Arbeit und Teamräumen in "
        "Stadt- und Kreisverwaltungen.",
        "Die Handreichung beschreibt, wie Kommunen Bürokonzepte, Dienstvereinbarungen und "
        "Führungskultur zusammen verändert haben, und nennt Fragen, die die "
        "Verwaltungsspitze vorab klären sollte.",
        "",
    ),
    (
        "Liberating Structures – Beteiligung in großen Gruppen",
        "Agile Beispiel GmbH",
        "WS",
        "AG MB",
        "UN ZG",
        "BE",
        "praesenz@11",
        640,
        8,
        70,
        False,
        "Eintägiges Training mit Methoden, die alle Anwesenden ins Gespräch bringen, von "
        "fünf bis fünfhundert Personen.",
        "Sie probieren ein Dutzend Liberating Structures aus, etwa 1-2-4-All und "
        "Troika-Beratung, und planen ein eigenes Treffen damit.",
        "Strukturen passend zum Ziel auswählen, eine Veranstaltung damit planen.",
    ),
    (
        "Digitale Produktentwicklung im öffentlichen Dienst",
        "Hochschule Beispielstadt",
        "LP",
        "AG DT",
        "LB",
        "DI",
        "online",
        1200,
        60,
        130,
        True,
        "Zertifikatsprogramm über Produktmanagement, Nutzerforschung und agile Entwicklung "
        "für Verwaltungsdigitalisierung.",
        "Das Programm umfasst fünf Module und ein Abschlussprojekt. Es richtet sich an "
        "Beschäftigte in Digitalisierungsreferaten von Bund und Ländern.",
        "Ein digitales Produkt verantworten, Nutzerforschung planen, mit Dienstleistern "
        "agil zusammenarbeiten.",
    ),
    (
        "Sprint-Woche Verwaltungsinnovation",
        "Musterstiftung Zukunft Kommune",
        "AW",
        "DT AG",
        "ZG UN",
        "VMo",
        "praesenz@11",
        0,
        40,
        160,
        False,
        "Wettbewerb mit Sprint-Woche: Teams aus Start-ups und Zivilgesellschaft entwickeln "
        "Lösungen für Fragen der öffentlichen Hand.",
        "Aus allen Bewerbungen wählt eine Jury zehn Teams aus, die eine Woche lang mit "
        "Mentor:innen an ihrer Idee arbeiten. Die drei besten Teams erhalten ein "
        "Preisgeld.",
        "",
    ),
]
