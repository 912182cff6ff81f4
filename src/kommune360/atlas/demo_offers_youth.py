"""Made-up offers of the demo for the Jugendamt: Leitung, Jugendhilfeplanung, Fachpraxis.

Row layout as in ``demo_offers``.
"""

YOUTH_OFFERS = [
    (
        "Neu in der Jugendamtsleitung – Orientierung für die ersten hundert Tage",
        "Landesinstitut Musterland",
        "LP",
        "FU",
        "JAL",
        "JH PE",
        "hybrid",
        0,
        32,
        80,
        True,
        "Fortbildungsreihe für neue Leitungen von Jugendämtern: Rolle, Recht, Haushalt und "
        "Zusammenarbeit mit Politik und Trägern.",
        "Die Reihe umfasst vier Präsenztage im Abstand von je einem Monat und kollegiale "
        "Beratung in kleinen Gruppen dazwischen. Erfahrene Jugendamtsleitungen berichten "
        "aus ihrer Praxis. Die Teilnahme ist für Beschäftigte der Kommunen im Land "
        "kostenfrei.",
        "Die eigene Rolle gegenüber Verwaltungsspitze und Jugendhilfeausschuss klären, "
        "Prioritäten für das erste Jahr setzen, ein kollegiales Netzwerk aufbauen.",
    ),
    (
        "Jugendhilfeplanung kompakt: Bestand, Bedarf, Maßnahmen",
        "Landesinstitut Musterland",
        "WS",
        "WO PM",
        "JHP",
        "JH PS",
        "praesenz@09",
        0,
        16,
        42,
        True,
        "Zweitägiges Grundlagenseminar zur Jugendhilfeplanung nach § 80 SGB VIII für "
        "Berufseinsteiger:innen.",
        "Sie lernen die Schritte der Planung kennen, vom Erheben des Bestands über die "
        "Bedarfsermittlung bis zur Maßnahmenplanung, und üben mit Daten eines "
        "Beispielkreises. Bitte bringen Sie Ihren aktuellen Planungsbericht mit.",
        "Den Planungszyklus beschreiben, Datenquellen nutzen, Bedarfe nachvollziehbar begründen.",
    ),
    (
        "Beteiligung junger Menschen planen",
        "Stiftung Musterland",
        "WS",
        "MB",
        "JHP VM",
        "BE JH",
        "praesenz@09",
        0,
        8,
        48,
        True,
        "Eintägiger Workshop: Formate, Haltung und Rahmenbedingungen für echte Beteiligung "
        "von Kindern und Jugendlichen.",
        "Vom Jugendforum bis zur Online-Umfrage: Sie lernen Formate kennen, die in "
        "Kommunen erprobt sind, und planen ein Beteiligungsvorhaben für Ihre eigene "
        "Planung. Der Workshop wird von einer Fachkraft und zwei Jugendlichen moderiert.",
        "Beteiligungsformate auswählen, Ergebnisse zurückmelden, Beteiligung in der "
        "Jugendhilfeplanung verankern.",
    ),
    (
        "Wirkungsorientierte Steuerung in der Kinder- und Jugendhilfe",
        "Hochschule Beispielstadt",
        "LP",
        "WO",
        "JAL JHP",
        "JH PS",
        "hybrid",
        350,
        30,
        95,
        True,
        "Zertifikatskurs über Kennzahlen, Wirkungsziele und Berichte, die Politik und "
        "Fachpraxis gleichermaßen nutzen.",
        "Der Kurs verbindet Online-Einheiten mit zwei Präsenztagen an der Hochschule. Sie "
        "entwickeln ein Wirkungsmodell für ein Leistungsfeld Ihres Jugendamts und "
        "stellen es in der Gruppe vor.",
        "Wirkungsziele formulieren, passende Kennzahlen auswählen, Berichte für den "
        "Jugendhilfeausschuss aufbereiten.",
    ),
    (
        "Kollegiale Beratung für Jugendamtsleitungen",
        "Netzwerk Musterregion e.V.",
        "CN",
        "FU CM",
        "JAL",
        "JH ZA",
        "hybrid",
        0,
        12,
        None,
        False,
        "Feste Gruppe von acht Leitungen, die sich viermal im Jahr zu Fällen aus dem "
        "Leitungsalltag beraten.",
        "Die Gruppe arbeitet nach einem festen Ablauf, den eine erfahrene Moderatorin "
        "anleitet. Themen sind Personal, Haushalt, Krisen und die Zusammenarbeit mit der "
        "Verwaltungsspitze. Neue Mitglieder sind willkommen, wenn ein Platz frei wird.",
        "",
    ),
    (
        "Coaching für Führungskräfte in der Jugendhilfe",
        "Beispiel-Akademie Nord",
        "BB",
        "FU",
        "JAL FK",
        "JH PE",
        "hybrid",
        None,
        6,
        None,
        False,
        "Einzelcoaching in Präsenz oder per Video für Leitungen in Jugendämtern und bei Trägern.",
        "Sie vereinbaren drei bis sechs Sitzungen zu Ihrem Anliegen, etwa einer neuen "
        "Rolle, einem Konflikt im Team oder einer anstehenden Umstrukturierung. Die "
        "Kosten stimmen wir mit Ihrem Dienstherrn ab.",
        "",
    ),
    (
        "Digitalisierung im Jugendamt: Fachverfahren einführen",
        "Beispiel-Akademie für Verwaltung",
        "WS",
        "PM CM",
        "JAL VM",
        "DI JH",
        "online",
        320,
        8,
        37,
        True,
        "Online-Seminar über Planung, Schulung und Begleitung bei der Einführung einer "
        "neuen Fachsoftware.",
        "Eine neue Software verändert Abläufe, Rollen und Routinen. Sie lernen, wie Sie "
        "Mitarbeitende früh beteiligen, Schulungen planen und den Umstieg ohne Stillstand "
        "schaffen.",
        "Ein Einführungsprojekt planen, Mitarbeitende beteiligen, den Umstieg begleiten.",
    ),
    (
        "Leitfaden Jugendhilfeplanung mit Beteiligung",
        "Netzwerk Musterregion e.V.",
        "PL",
        "MB WO",
        "JHP",
        "JH BE PS",
        "online",
        0,
        0,
        None,
        False,
        "Arbeitshilfe mit Checklisten und Beispielen, wie Kinder, Jugendliche und Träger "
        "an der Planung mitwirken.",
        "Der Leitfaden beschreibt die Beteiligung in jedem Planungsschritt und enthält "
        "Vorlagen für Einladungen, Fragebögen und Ergebnisberichte.",
        "",
    ),
    (
        "Werkstatt Personalgewinnung in der Jugendhilfe",
        "Städtetag Musterland",
        "WS",
        "CM",
        "JAL FK",
        "PE JH",
        "online",
        0,
        4,
        23,
        True,
        "Halbtägige Werkstatt zu Stellenprofilen, Einarbeitung und Bindung von "
        "Fachkräften im Jugendamt.",
        "Kommunen berichten, was bei der Gewinnung von Sozialarbeiter:innen geholfen hat: "
        "flexible Arbeitszeit, Einarbeitungspat:innen, Kooperation mit Hochschulen.",
        "Maßnahmen der Personalgewinnung vergleichen, einen Einarbeitungsplan entwerfen.",
    ),
    (
        "Netzwerk Jugendhilfeplanung Musterland",
        "Landesinstitut Musterland",
        "CN",
        "WO MB",
        "JHP",
        "JH PS ZA",
        "hybrid",
        0,
        12,
        None,
        False,
        "Landesweites Netzwerk der Planungsfachkräfte mit zwei Treffen im Jahr und einem "
        "Verteiler für Fragen.",
        "Im Netzwerk tauschen sich Planungsfachkräfte aus Kreisen und Städten über "
        "Methoden, Daten und Berichte aus. Das Frühjahrstreffen findet in Präsenz statt, "
        "das Herbsttreffen online.",
        "",
    ),
    (
        "Fortbildung Hilfeplanung und Fallsteuerung",
        "Landesinstitut Musterland",
        "WS",
        "PM WO",
        "VM",
        "JH",
        "praesenz@09",
        0,
        16,
        72,
        True,
        "Zweitägige Fortbildung für Fachkräfte im Allgemeinen Sozialen Dienst zu "
        "Hilfeplanverfahren und Steuerung im Einzelfall.",
        "Die Fortbildung behandelt Ziele im Hilfeplan, die Beteiligung der Familien und die "
        "Zusammenarbeit mit Leistungserbringern. Sie ist als Pflichtfortbildung für neue "
        "Fachkräfte im Land anerkannt.",
        "Hilfeplanziele überprüfbar formulieren, Familien beteiligen, Hilfen gemeinsam steuern.",
    ),
    (
        "Veränderungsprozesse im Jugendamt begleiten – Prozessberatung",
        "Verwaltungswerkstatt Beispielstadt",
        "BB",
        "CM",
        "JAL JHP",
        "JH VMo",
        "hybrid",
        None,
        20,
        None,
        False,
        "Prozessbegleitung für Jugendämter, die ihre Organisation, Abläufe oder "
        "Zusammenarbeit neu ordnen.",
        "Wir begleiten Leitung und Team über mehrere Monate: Auftakt, Bestandsaufnahme, "
        "Workshops mit den Beteiligten und Auswertung. Der Umfang richtet sich nach Ihrem "
        "Vorhaben.",
        "",
    ),
    (
        "Zusammenarbeit von Jugendamt und freien Trägern",
        "Stiftung Musterland",
        "WS",
        "MB CM",
        "JAL FT",
        "JH ZA",
        "praesenz@09",
        0,
        8,
        88,
        True,
        "Gemeinsamer Workshop für Leitungen aus Jugendämtern und Trägern über Rollen, "
        "Vereinbarungen und Vertrauen.",
        "Jugendamt und Träger sind aufeinander angewiesen und haben doch verschiedene "
        "Interessen. Im Workshop erarbeiten gemischte Gruppen Grundsätze für die "
        "Zusammenarbeit in ihrer Region.",
        "Erwartungen offenlegen, Grundsätze der Zusammenarbeit vereinbaren.",
    ),
    (
        "Sozialraumorientierung in der Jugendhilfeplanung",
        "Hochschule Beispielstadt",
        "WS",
        "WO MB",
        "JHP FT",
        "JH PS",
        "praesenz@08",
        180,
        12,
        105,
        True,
        "Anderthalbtägiges Seminar über sozialräumliche Analysen und Planung mit Trägern vor Ort.",
        "Sie lernen Verfahren der Sozialraumanalyse kennen, arbeiten mit kleinräumigen "
        "Daten und planen gemeinsam mit Trägern Angebote für einen Stadtteil.",
        "Sozialräume abgrenzen, Daten kleinräumig auswerten, Planung mit Trägern abstimmen.",
    ),
    (
        "Datenkompetenz für die Jugendhilfeplanung",
        "Hochschule Beispielstadt",
        "LP",
        "WO",
        "JHP",
        "JH DI PS",
        "online",
        240,
        20,
        125,
        True,
        "Online-Kurs über Datenquellen, einfache Statistik und Visualisierung für "
        "Planungsberichte.",
        "In sechs Wochen lernen Sie, Daten aus Fachverfahren und amtlicher Statistik "
        "aufzubereiten und verständlich darzustellen.",
        "Daten aufbereiten, Kennzahlen berechnen, Diagramme für Berichte erstellen.",
    ),
]
