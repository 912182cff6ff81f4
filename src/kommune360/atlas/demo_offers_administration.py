"""Made-up offers of the demo for administration at large: Führung, Veränderung, Steuerung.

Most of them address municipal staff. Row layout as in ``demo_offers``.
"""

ADMINISTRATION_OFFERS = [
    (
        "Veränderung begleiten – Change-Management für kommunale Führungskräfte",
        "Beispiel-Akademie für Verwaltung",
        "WS",
        "CM FU",
        "FK VS",
        "VMo PE",
        "praesenz@05",
        690,
        16,
        58,
        True,
        "Zweitägige Weiterbildung: Veränderungen im Amt planen, kommunizieren und mit "
        "Widerständen umgehen.",
        "Umstrukturierung, neue Software, Fachkräftemangel: Führungskräfte in Kommunen "
        "gestalten ständig Veränderung. Das Seminar verbindet Modelle des "
        "Change-Managements mit Fällen aus Stadt- und Kreisverwaltungen. Eine "
        "Teilnahmebescheinigung mit Lernzielen und Stundenumfang liegt bei.",
        "Phasen einer Veränderung erkennen, eine Kommunikationsplanung erstellen, "
        "Widerstände als Hinweise nutzen.",
    ),
    (
        "Gesund führen im öffentlichen Dienst",
        "Beispiel-Akademie Nord",
        "WS",
        "FU",
        "FK",
        "PE",
        "online",
        240,
        6,
        26,
        True,
        "Online-Seminar für Führungskräfte über Belastung, Fürsorge und die eigene Gesundheit.",
        "Hohe Fallzahlen und unbesetzte Stellen belasten Teams. Sie lernen Warnzeichen zu "
        "erkennen, Gespräche über Belastung zu führen und auf die eigenen Grenzen zu "
        "achten.",
        "Belastungen im Team ansprechen, Entlastung organisieren, eigene Ressourcen stärken.",
    ),
    (
        "Projektmanagement in der Verwaltung – Grundlagen",
        "Beispiel-Akademie für Verwaltung",
        "WS",
        "PM",
        "VM",
        "PS",
        "online",
        420,
        12,
        33,
        True,
        "Grundlagenkurs: Projekte auftragen, planen, steuern und abschließen – mit "
        "Vorlagen für den Verwaltungsalltag.",
        "In drei Online-Vormittagen lernen Sie Projektauftrag, Meilensteinplan, "
        "Risikoliste und Abschlussbericht kennen und wenden sie auf ein eigenes Vorhaben "
        "an.",
        "Einen Projektauftrag formulieren, einen Zeitplan aufstellen, Risiken bewerten.",
    ),
    (
        "Moderationstraining für Sitzungen und Arbeitsgruppen",
        "Verwaltungswerkstatt Beispielstadt",
        "WS",
        "MB",
        "VM FK",
        "ZA",
        "praesenz@09",
        0,
        8,
        14,
        True,
        "Praxistag für alle, die Besprechungen, Arbeitskreise und Fachrunden in der "
        "Verwaltung leiten.",
        "Sie üben Tagesordnungen, Visualisierung und den Umgang mit Vielredner:innen. "
        "Jede:r moderiert eine kurze Sequenz und bekommt Rückmeldung aus der Gruppe.",
        "Sitzungen zielgerichtet vorbereiten, Ergebnisse sichern, schwierige Situationen "
        "moderieren.",
    ),
    (
        "Führungskräfteentwicklung für Amtsleitungen",
        "Städtetag Musterland",
        "LP",
        "FU CM",
        "FK",
        "PE",
        "praesenz@06",
        1800,
        64,
        140,
        True,
        "Programm über neun Monate mit vier Modulen, Coaching und Praxisprojekt für "
        "Amts- und Fachbereichsleitungen.",
        "Das Programm richtet sich an Führungskräfte der Mitgliedskommunen. Es umfasst "
        "Module zu Führung, Veränderung, Kommunikation und Steuerung, drei Einzelcoachings "
        "und ein Projekt aus dem eigenen Haus. Mitgliedskommunen erhalten einen Nachlass.",
        "Die eigene Führungsrolle reflektieren, Veränderungsvorhaben leiten, "
        "Steuerungsinstrumente einsetzen.",
    ),
    (
        "Verwaltung im Wandel: Impulse für die Verwaltungsspitze",
        "Musterstiftung Zukunft Kommune",
        "KF",
        "CM FU",
        "VS",
        "VMo",
        "praesenz@11",
        0,
        6,
        170,
        False,
        "Jahrestreffen für Bürgermeister:innen, Landrät:innen und Dezernent:innen zu "
        "Modernisierung und Führung.",
        "Ein Tag mit kurzen Impulsen, Gesprächen in kleinen Runden und Zeit für Austausch "
        "unter Verwaltungsspitzen. Die Stiftung trägt die Kosten.",
        "",
    ),
    (
        "Förderprogramm „Kommune gestaltet Wandel“",
        "Musterstiftung Zukunft Kommune",
        "FP",
        "CM WO",
        "VS FK",
        "VMo PS",
        "hybrid",
        0,
        0,
        100,
        False,
        "Förderung und Begleitung für zehn Kommunen, die ein Veränderungsvorhaben in ihrer "
        "Verwaltung umsetzen.",
        "Die ausgewählten Kommunen erhalten für zwei Jahre bis zu 40.000 Euro, eine "
        "Prozessbegleitung und den Austausch im Netzwerk der geförderten Kommunen. "
        "Bewerben können sich Städte, Gemeinden und Landkreise.",
        "",
    ),
    (
        "Konflikte im Team klären",
        "Beispiel-Akademie Nord",
        "WS",
        "FU MB",
        "FK VM",
        "ZA",
        "praesenz@02",
        460,
        12,
        52,
        True,
        "Anderthalbtägiges Seminar zu Konfliktgesprächen, Vermittlung und Vereinbarungen im Team.",
        "Sie lernen, Konflikte früh zu erkennen und Gespräche so zu führen, dass alle "
        "Beteiligten ihr Gesicht wahren. Mit vielen Übungen und Fällen aus Verwaltungen.",
        "Konfliktstufen erkennen, ein Klärungsgespräch führen, Vereinbarungen festhalten.",
    ),
    (
        "Strategische Steuerung für Kreisverwaltungen",
        "Beispiel-Akademie für Verwaltung",
        "BB",
        "WO PM",
        "VS",
        "PS VMo",
        "praesenz",
        None,
        24,
        None,
        False,
        "Begleitung der Verwaltungsspitze beim Aufbau von Zielen, Kennzahlen und Berichtswesen.",
        "In drei Klausurtagen und begleitenden Terminen entwickeln wir mit Landrätin oder "
        "Landrat und Dezernent:innen ein Zielsystem und einen schlanken Bericht für die "
        "Kreisgremien. Umfang und Preis nach Vereinbarung.",
        "",
    ),
    (
        "Künstliche Intelligenz im Verwaltungsalltag – sicher nutzen",
        "Bundesbeispielamt für Weiterbildung",
        "LP",
        "PM",
        "VM FK",
        "KI DI",
        "online",
        0,
        8,
        None,
        True,
        "Selbstlernkurs über Textassistenten, Datenschutz und gute Eingaben für Beschäftigte "
        "aller Verwaltungsebenen.",
        "Der Kurs zeigt in kurzen Lektionen, wofür sich KI-Werkzeuge eignen, welche Daten "
        "nicht hineingehören und wie Sie Ergebnisse prüfen. Ein Abschlusstest führt zur "
        "Teilnahmebescheinigung.",
        "Einsatzfelder einschätzen, Datenschutzregeln anwenden, Ergebnisse kritisch prüfen.",
    ),
    (
        "Einführung in die Haushaltsplanung für Fachämter",
        "Städtetag Musterland",
        "WS",
        "PM",
        "VM FK",
        "PS",
        "online",
        0,
        4,
        16,
        True,
        "Online-Seminar: Wie Fachämter ihren Haushalt anmelden, begründen und im Jahr steuern.",
        "Sie lernen Produkte, Kennzahlen und Budgetregeln der Doppik aus Sicht eines "
        "Fachamts kennen und üben die Begründung einer Mittelanmeldung.",
        "Den Haushaltskreislauf beschreiben, eine Mittelanmeldung begründen.",
    ),
    (
        "Führen in Teilzeit und im Tandem",
        "Beispiel-Akademie für Verwaltung",
        "WS",
        "FU",
        "FK VM",
        "PE",
        "online",
        180,
        4,
        44,
        True,
        "Online-Workshop für Führungstandems und alle, die über geteilte Führung nachdenken.",
        "Geteilte Führung ermöglicht Leitungsaufgaben in Teilzeit. Sie lernen Modelle, "
        "Absprachen und Stolpersteine aus Kommunen kennen, die es erprobt haben.",
        "Modelle geteilter Führung vergleichen, Absprachen im Tandem treffen.",
    ),
    (
        "Bürgerbeteiligung digital: Werkzeuge und Verfahren",
        "Verwaltungswerkstatt Beispielstadt",
        "WS",
        "MB",
        "VM",
        "BE DI",
        "online",
        0,
        6,
        62,
        True,
        "Workshop über Online-Beteiligung, vom Ideenkataster bis zur Befragung, mit Blick "
        "auf Datenschutz und Barrierefreiheit.",
        "Sie vergleichen gängige Beteiligungswerkzeuge, planen ein digitales Verfahren und "
        "überlegen, wie Menschen ohne Internetzugang trotzdem mitreden können.",
        "Ein digitales Beteiligungsverfahren planen, Werkzeuge auswählen.",
    ),
    (
        "Mentoring-Programm für Nachwuchsführungskräfte",
        "Netzwerk Musterregion e.V.",
        "LP",
        "FU",
        "VM FK",
        "PE",
        "hybrid",
        150,
        24,
        115,
        True,
        "Ein Jahr Mentoring mit erfahrenen Führungskräften aus anderen Kommunen, dazu "
        "drei Seminartage.",
        "Mentees und Mentor:innen aus verschiedenen Verwaltungen treffen sich alle sechs "
        "Wochen. Drei gemeinsame Seminartage behandeln Führungsrolle, Kommunikation und "
        "Selbstorganisation.",
        "Die eigene Entwicklung planen, Führungsrolle vorbereiten, ein Netzwerk aufbauen.",
    ),
    (
        "Praxisbuch Veränderungsmanagement in Kommunen",
        "Beispiel-Akademie Nord",
        "PL",
        "CM",
        "FK VS",
        "VMo",
        "online",
        29,
        0,
        None,
        False,
        "Handbuch mit zwölf Fallgeschichten aus Städten und Kreisen und Werkzeugen für jede "
        "Phase einer Veränderung.",
        "Das Buch erklärt Veränderung nicht abstrakt, sondern an Beispielen: die "
        "Zusammenlegung zweier Ämter, ein neues Bürgerbüro, die Einführung der E-Akte.",
        "",
    ),
    (
        "Onboarding in der Verwaltung gestalten",
        "Bundesbeispielamt für Weiterbildung",
        "PL",
        "CM",
        "FK",
        "PE",
        "online",
        0,
        0,
        None,
        False,
        "Leitfaden für die ersten Wochen neuer Beschäftigter, mit Checklisten für "
        "Führungskräfte und Pat:innen.",
        "Der Leitfaden ist aus Erfahrungen von Bundes-, Landes- und Kommunalbehörden "
        "entstanden und kann frei angepasst werden.",
        "",
    ),
    (
        "Wettbewerb „Gute Verwaltung vor Ort“",
        "Städtetag Musterland",
        "AW",
        "WO",
        "VM VS",
        "VMo",
        "praesenz",
        0,
        0,
        130,
        False,
        "Auszeichnung für Teams aus Kommunalverwaltungen, die ein Verfahren spürbar "
        "verbessert haben.",
        "Bewerben können sich Teams aus Städten, Gemeinden und Kreisen. Die ausgezeichneten "
        "Lösungen werden auf der Mitgliederversammlung vorgestellt und in einer "
        "Sammlung veröffentlicht.",
        "",
    ),
    (
        "Resilienz im Team – Workshop für Leitungsteams",
        "Stiftung Musterland",
        "WS",
        "FU CM",
        "JAL FK",
        "PE",
        "praesenz@09",
        0,
        8,
        67,
        True,
        "Eintägiger Workshop für Leitungsteams über Belastung, Krisen und gemeinsame "
        "Handlungsfähigkeit.",
        "Sie betrachten die letzten Krisen Ihres Amts, erkennen, was geholfen hat, und "
        "vereinbaren, wie Sie als Leitungsteam künftig entlasten und entscheiden.",
        "Belastungen benennen, Entscheidungswege in Krisen klären.",
    ),
    (
        "Projektsteuerung mit Kennzahlen",
        "Beispiel-Akademie für Verwaltung",
        "WS",
        "PM WO",
        "FK",
        "PS",
        "online",
        390,
        8,
        92,
        True,
        "Online-Seminar: Fortschritt, Kosten und Wirkung von Projekten in der Verwaltung "
        "übersichtlich berichten.",
        "Sie entwickeln ein schlankes Berichtsblatt für Ihr Projekt und lernen, wann ein "
        "Projekt nachgesteuert werden muss.",
        "Kennzahlen auswählen, einen Projektbericht erstellen, Abweichungen bewerten.",
    ),
    (
        "Schreibwerkstatt: Verständliche Bescheide und Briefe",
        "Verwaltungswerkstatt Beispielstadt",
        "WS",
        "CM",
        "VM",
        "VMo",
        "online",
        0,
        4,
        19,
        True,
        "Halbtägige Schreibwerkstatt für klare, freundliche und rechtssichere Texte an "
        "Bürger:innen.",
        "Sie bringen einen eigenen Brief oder Bescheid mit und überarbeiten ihn mit "
        "einfachen Regeln für Satzbau, Gliederung und Ton.",
        "Lange Sätze auflösen, Texte gliedern, Fachbegriffe erklären.",
    ),
    (
        "Ehrenamt und Verwaltung – Zusammenarbeit stärken",
        "Netzwerk Musterregion e.V.",
        "WS",
        "MB",
        "ZG VM",
        "ZA BE",
        "praesenz@06",
        0,
        4,
        78,
        False,
        "Abendworkshop für Engagierte und Verwaltungsmitarbeitende, die gemeinsam Projekte "
        "im Ort umsetzen.",
        "Wie kommen Vereine schneller an Genehmigungen, und wie erreicht die Verwaltung "
        "Engagierte? Der Workshop bringt beide Seiten an einen Tisch.",
        "",
    ),
]
