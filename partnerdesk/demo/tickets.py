"""The demo's tickets: about seventy stories with a history, replayed through the ticket actions.

Every ticket is filed and moved by the same actions the product uses
(``partnerdesk.tickets.actions``); nothing is written to the ticket tables directly, so every
demo ticket obeys the rules (phase, side and responsible agree; the first check has next steps
and an estimate; the journal is complete).

History: each action takes ``now``, the moment it happens. A story is a list of steps; the
timeline is laid out *backwards* from the present (the last step a little before now, each
earlier step some hours before the next, moved back into office hours), so nothing ever
happens in the future and the demo never goes stale. The stories are then replayed in the
order they were filed, so the ticket numbers ascend with time.

Mails: the history happened in the past, nobody is told about it now. While the stories are
replayed, ``notifications.muted()`` keeps notifications from being queued, so the demo queues
no mail at all (instead of hundreds in ``data/mail``). At the end the alerts that are due now
(missed checks, passed estimates) are raised once, also quietly, so that the worker's first
run finds nothing left to announce. New actions in the running demo mail as usual.

Everything random is drawn from one seeded ``random.Random``: the same stories, people and
gaps every time (only the dates move with the day the demo is loaded).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from partnerdesk.parties.models import Role, User
from partnerdesk.tickets import actions, notifications
from partnerdesk.tickets.jobs import tickets_scan_alerts
from partnerdesk.tickets.models import Coverage, Priority, Ticket
from partnerdesk.tickets.phases import Phase

if TYPE_CHECKING:
    from partnerdesk.demo.loader import Demo

SEED = 20261127
ZURICH = ZoneInfo("Europe/Zurich")
HOUR = datetime.timedelta(hours=1)

# --- the stories ---------------------------------------------------------------------------
#
# kind: what the request turns out to be (decides the coverage):
#   defect / incident are vendor services; config / howto / change / custom are not covered.
# scenario: how far the ticket got (see SCENARIOS below).
# by: "partner" (an employee of the contract's partner files) or "customer" (a contact).


@dataclass(frozen=True)
class Story:
    customer: str
    by: str
    scenario: str
    kind: str
    title: str
    description: str
    order: str | None = None
    urgent: bool = False
    filer: str | None = None  # demo.people key; default: drawn from the filing organisation


S = Story
STORIES: tuple[Story, ...] = (
    # Einwohnergemeinde Aarwil: Alpenblick files everything (partnership and engagement).
    S(
        "aarwil",
        "partner",
        "new",
        "defect",
        "Online-Schalter: Bestätigungsmail für Wohnsitzbestätigung fehlt",
        "Seit heute Morgen erhalten Einwohnerinnen nach der Bestellung einer "
        "Wohnsitzbestätigung keine Bestätigungsmail mehr. Die Bestellung selbst ist im "
        "Backoffice sichtbar.",
        order="partnership-alpenblick",
        filer="alpenblick-employee-1",
    ),
    S(
        "aarwil",
        "partner",
        "new_overdue",
        "config",
        "Gebührenübersicht zeigt alte Tarife 2025",
        "Im Online-Schalter werden bei der Hundeanmeldung noch die Gebühren des Vorjahres "
        "angezeigt. Die Gemeinde hat die neuen Tarife im Backoffice erfasst.",
        order="partnership-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "check",
        "defect",
        "Migration Einwohnerdienste: Umlaute in Strassennamen werden ersetzt",
        "Beim Import der Testdaten aus dem Altsystem werden Umlaute in Strassennamen durch "
        "Fragezeichen ersetzt, z. B. `M?hlegasse` statt `Mühlegasse`.\n\n"
        "**Betroffen:** ca. 340 Adressen im Testlauf vom letzten Freitag.",
        order="engagement-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "expert",
        "defect",
        "PDF-Export der Steuerrechnung bricht bei mehr als 20 Positionen ab",
        "Beim Export einer Steuerrechnung mit vielen Positionen bricht die PDF-Erstellung "
        "ohne Fehlermeldung ab. Mit weniger Positionen funktioniert es.",
        order="partnership-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "partner_question",
        "config",
        "Formular Hundeanmeldung: Pflichtfeld Chipnummer lässt sich nicht abschalten",
        "Die Gemeinde möchte die Chipnummer nur noch optional abfragen. In der Konfiguration "
        "ist das Feld als optional markiert, im Formular bleibt es Pflicht.",
        order="partnership-alpenblick",
        filer="alpenblick-employee-1",
    ),
    S(
        "aarwil",
        "partner",
        "customer_question",
        "howto",
        "Wie werden Zuzüge aus dem Ausland im Portal erfasst?",
        "Die Einwohnerkontrolle fragt, ob Zuzüge aus dem Ausland über den Online-Schalter "
        "möglich sind oder ob diese weiterhin am Schalter erfasst werden müssen.",
        order="partnership-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "solved",
        "defect",
        "Kalender der Abfuhrtermine zeigt Dezember doppelt",
        "Im Abfuhrkalender erscheint der Dezember zweimal, der Januar fehlt. Betrifft nur "
        "die Ansicht auf Mobilgeräten.",
        order="partnership-alpenblick",
        filer="alpenblick-employee-1",
    ),
    S(
        "aarwil",
        "partner",
        "closed",
        "incident",
        "Portal während 40 Minuten nicht erreichbar",
        "Zwischen 07:50 und 08:30 Uhr war das Einwohnerportal nicht erreichbar "
        "(Fehler 502). Mehrere Einwohner haben sich telefonisch gemeldet.",
        order="partnership-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "closed_reopen",
        "defect",
        "Adressänderung wird nicht an das Steueramt übermittelt",
        "Adressänderungen aus dem Online-Schalter erscheinen nicht in der Schnittstelle zum "
        "Steueramt.\n\n"
        "**Schritte:**\n"
        "1. Adressänderung im Portal erfassen\n"
        "2. Im Backoffice freigeben\n"
        "3. Schnittstellen-Protokoll prüfen: kein Eintrag\n\n"
        "Erwartet: Meldung an das Steueramt innert einer Stunde.",
        order="engagement-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "rejected",
        "custom",
        "Eigenes Logo im Kopfbereich wird verzerrt dargestellt",
        "Seit dem Einspielen unseres angepassten Stylesheets ist das Gemeindelogo auf "
        "breiten Bildschirmen verzerrt.",
        order="partnership-alpenblick",
    ),
    S(
        "aarwil",
        "partner",
        "escalated",
        "incident",
        "Zahlungen mit TWINT schlagen fehl",
        "Seit gestern Abend schlagen alle Zahlungen mit TWINT im Online-Schalter fehl. "
        "Kreditkarten funktionieren. **Die Gemeinde verliert Einnahmen** und der Schalter "
        "ist überlastet.",
        order="partnership-alpenblick",
        urgent=True,
    ),
    S(
        "aarwil",
        "partner",
        "check_estimate",
        "defect",
        "Migration: Haushaltszuordnung bei Wochenaufenthaltern falsch",
        "Wochenaufenthalter werden nach der Migration dem falschen Haushalt zugeordnet. "
        "Beispiel-Datensätze liegen im Testsystem unter der Kennung `MIG-T3`.",
        order="engagement-alpenblick",
    ),
    # Spital Seeland: around the clock; the partner and the hospital both file.
    S(
        "spital-seeland",
        "customer",
        "escalated_new",
        "incident",
        "Zuweiserportal: Befunde werden nicht mehr angezeigt",
        "Seit ca. einer Stunde sehen zuweisende Ärztinnen im Portal keine neuen Befunde. "
        "Im Klinikinformationssystem sind die Befunde vorhanden.\n\n"
        "Bitte **dringend** prüfen, die Notfallstation erhält Rückfragen.",
        urgent=True,
    ),
    S(
        "spital-seeland",
        "customer",
        "new",
        "defect",
        "Terminbuchung: Zeitzone bei Sommerzeitwechsel falsch",
        "Termine, die über den Sommerzeitwechsel gebucht werden, erscheinen im Portal eine "
        "Stunde zu früh.",
    ),
    S(
        "spital-seeland",
        "partner",
        "answered",
        "defect",
        "Ausbau Zuweiserportal: Upload von DICOM-Dateien über 200 MB scheitert",
        "Im Testsystem für den Ausbau scheitern Uploads grosser DICOM-Dateien nach etwa "
        "zwei Minuten mit einem Timeout.",
        order="lead-alpenblick",
    ),
    S(
        "spital-seeland",
        "customer",
        "customer_question",
        "config",
        "Patientenportal: Benachrichtigung per SMS kommt doppelt",
        "Patientinnen erhalten die Terminerinnerung per SMS zweimal, im Abstand von wenigen "
        "Sekunden.",
        filer="spital-seeland-contact-1",
    ),
    S(
        "spital-seeland",
        "customer",
        "solved_customer",
        "defect",
        "Patientenportal: Dokumente lassen sich auf dem iPad nicht öffnen",
        "PDF-Dokumente (Austrittsberichte) öffnen sich auf iPads nicht, es erscheint eine "
        "leere Seite. Auf dem PC funktioniert es.",
        filer="spital-seeland-contact-1",
    ),
    S(
        "spital-seeland",
        "partner",
        "closed",
        "defect",
        "Suchfunktion findet Zuweiser nicht nach GLN",
        "Die Suche nach Zuweisern über die GLN-Nummer liefert keine Treffer, die Suche nach "
        "Namen funktioniert.",
        order="partnership-alpenblick",
    ),
    S(
        "spital-seeland",
        "partner",
        "rejected",
        "change",
        "Ausbau Zuweiserportal: zusätzliche Ansicht für Physiotherapie",
        "Das Spital wünscht eine eigene Ansicht für Verordnungen der Physiotherapie mit "
        "Filter nach Therapieart.\n\n"
        "- Liste der offenen Verordnungen\n"
        "- Filter nach Therapieart und Station\n"
        "- Export als CSV",
        order="lead-alpenblick",
    ),
    S(
        "spital-seeland",
        "partner",
        "expert",
        "defect",
        "HL7-Schnittstelle: Sonderzeichen in Diagnosen werden abgeschnitten",
        "Diagnosetexte mit Sonderzeichen (z. B. `≥`, `µ`) werden beim Import über die "
        "HL7-Schnittstelle nach dem Zeichen abgeschnitten.",
        order="partnership-alpenblick",
    ),
    S(
        "spital-seeland",
        "partner",
        "escalated_closed",
        "incident",
        "Login für Zuweiser mit HIN-Identität nicht möglich",
        "Seit 06:00 Uhr können sich Zuweiser mit HIN-Identität nicht mehr anmelden. "
        "Andere Login-Arten funktionieren.",
        order="partnership-alpenblick",
        urgent=True,
    ),
    S(
        "spital-seeland",
        "customer",
        "estimate_passed",
        "defect",
        "Statistik der Portal-Nutzung zeigt für Oktober keine Daten",
        "Im Auswertungsmodul fehlen die Nutzungszahlen für den Oktober vollständig.",
    ),
    S(
        "spital-seeland",
        "partner",
        "solved",
        "defect",
        "Ausbau Zuweiserportal: Sortierung der Befundliste nach Datum falsch",
        "In der neuen Befundliste werden Einträge nach Tag sortiert, der Monat wird ignoriert.",
        order="lead-alpenblick",
    ),
    # Stadtwerke Limmattal: Limmat Digital and the utility both file.
    S(
        "sw-limmattal",
        "partner",
        "new",
        "config",
        "Kundenportal: Zählerstandserfassung für Wärmezähler einblenden",
        "Für die Wärmekunden soll die Zählerstandserfassung analog zu Strom und Wasser "
        "angeboten werden. Die Zähler sind bereits im System erfasst.",
        order="partnership-limmat",
    ),
    S(
        "sw-limmattal",
        "customer",
        "new_overdue",
        "defect",
        "Rechnungs-PDF: QR-Code nicht lesbar",
        "Der QR-Code auf den Rechnungen vom aktuellen Monat lässt sich mit mehreren "
        "Banking-Apps nicht scannen.",
    ),
    S(
        "sw-limmattal",
        "partner",
        "check",
        "defect",
        "Bestellstrecke Glasfaser: Adressprüfung lehnt gültige Adressen ab",
        "In der neuen Bestellstrecke werden Adressen mit Hausnummer-Zusatz (z. B. 12a) als "
        "ungültig abgelehnt.",
        order="lead-limmat",
    ),
    S(
        "sw-limmattal",
        "partner",
        "partner_question",
        "defect",
        "Umzugsmeldung: Enddatum wird um einen Tag verschoben",
        "Bei Umzugsmeldungen wird das Enddatum des alten Vertrags um einen Tag nach hinten "
        "verschoben.",
        order="partnership-limmat",
    ),
    S(
        "sw-limmattal",
        "customer",
        "customer_question",
        "incident",
        "Lastgangdaten der Grosskunden seit Montag nicht aktualisiert",
        "Die Lastgangkurven für Grosskunden zeigen seit Montag keine neuen Werte. Die "
        "Messdaten sind im Energiedatenmanagement vorhanden.",
    ),
    S(
        "sw-limmattal",
        "partner",
        "solved",
        "defect",
        "Kundenportal: Passwort-Reset-Link läuft nach 5 Minuten ab",
        "Der Link zum Zurücksetzen des Passworts ist bereits nach wenigen Minuten ungültig. "
        "Laut Dokumentation sollte er 24 Stunden gültig sein.",
        order="partnership-limmat",
    ),
    S(
        "sw-limmattal",
        "customer",
        "closed",
        "defect",
        "Tarifrechner rundet Grundgebühr falsch",
        "Der Tarifrechner im Portal rundet die monatliche Grundgebühr auf ganze Franken, "
        "auf der Rechnung steht der genaue Betrag.",
    ),
    S(
        "sw-limmattal",
        "customer",
        "rejected",
        "howto",
        "Wie können wir Sammelrechnungen für Liegenschaftsverwaltungen einrichten?",
        "Mehrere Verwaltungen möchten eine Sammelrechnung für alle ihre Liegenschaften. "
        "Wie richten wir das im Portal ein?",
    ),
    S(
        "sw-limmattal",
        "partner",
        "revised",
        "defect",
        "Solaranlagen: Rückliefervergütung fehlt im Kundenportal",
        "Bei Kunden mit Solaranlage wird die Rückliefervergütung im Portal nicht angezeigt, "
        "obwohl sie auf der Rechnung erscheint.",
        order="partnership-limmat",
    ),
    S(
        "sw-limmattal",
        "partner",
        "estimate_passed",
        "defect",
        "Bestellstrecke Glasfaser: Verfügbarkeitsabfrage langsam",
        "Die Verfügbarkeitsabfrage in der Bestellstrecke dauert bis zu 30 Sekunden. "
        "Im Test mit 50 Adressen lag der Median bei 18 Sekunden.",
        order="lead-limmat",
    ),
    S(
        "sw-limmattal",
        "partner",
        "partner_question",
        "config",
        "Newsletter-Anmeldung im Portal ohne Double-Opt-in",
        "Die Newsletter-Anmeldung versendet keine Bestätigungsmail mehr. Das ist aus "
        "Datenschutzgründen nötig.",
        order="partnership-limmat",
    ),
    # Krankenkasse Rigi: the insurer files itself; Limmat Digital is billed.
    S(
        "kk-rigi",
        "customer",
        "new",
        "howto",
        "Wie exportieren wir die Liste der Portalbenutzer?",
        "Für die Jahresplanung brauchen wir eine Liste aller aktiven Portalbenutzer mit dem "
        "Datum der letzten Anmeldung.",
    ),
    S(
        "kk-rigi",
        "customer",
        "expert",
        "defect",
        "Leistungsabrechnungen erscheinen mit falschem Selbstbehalt",
        "Bei einzelnen Leistungsabrechnungen wird im Portal ein Selbstbehalt von 20 % "
        "statt 10 % angezeigt. Die Abrechnung im Kernsystem ist korrekt.",
    ),
    S(
        "kk-rigi",
        "customer",
        "customer_question",
        "defect",
        "Upload von Arztrechnungen: Foto wird gedreht gespeichert",
        "Fotos von Arztrechnungen, die mit dem Smartphone hochgeladen werden, erscheinen "
        "im Backoffice um 90 Grad gedreht.",
    ),
    S(
        "kk-rigi",
        "customer",
        "solved_customer",
        "defect",
        "Versichertenkarte im Portal zeigt alte Kartennummer",
        "Nach dem Kartenwechsel zeigt die digitale Versichertenkarte noch die alte "
        "Kartennummer an.",
    ),
    S(
        "kk-rigi",
        "customer",
        "closed",
        "incident",
        "Anmeldung mit Zwei-Faktor-Code schlägt fehl",
        "Der SMS-Code für die Anmeldung kommt bei vielen Versicherten nicht an. "
        "Störung seit 14:10 Uhr.",
    ),
    S(
        "kk-rigi",
        "customer",
        "rejected",
        "config",
        "Prämienrechner soll Unfalldeckung standardmässig ausschliessen",
        "Im Prämienrechner ist die Unfalldeckung vorausgewählt. Für Erwerbstätige soll sie "
        "standardmässig ausgeschlossen sein.",
    ),
    S(
        "kk-rigi",
        "customer",
        "escalated",
        "defect",
        "Rückerstattungen werden doppelt ausbezahlt",
        "Seit dem letzten Release lösen einzelne Rückforderungsbelege zwei Zahlungen aus.\n\n"
        "**Bisher festgestellt:** 14 Fälle, Gesamtbetrag CHF 6 480.–. Wir haben die "
        "Zahlungsläufe vorsorglich gestoppt.",
        urgent=True,
    ),
    # Services Industriels de la Riviera: Léman Solutions files (partnership and lead).
    S(
        "riviera",
        "partner",
        "new",
        "defect",
        "Portail clients: Sprachwechsel setzt Formular zurück",
        "Wechselt man im Formular «Déménagement» die Sprache, gehen alle bereits erfassten "
        "Angaben verloren.",
        order="partnership-leman",
    ),
    S(
        "riviera",
        "partner",
        "new_overdue",
        "howto",
        "Wie lassen sich Textbausteine für Mahnungen übersetzen?",
        "Die Riviera möchte die Mahnungstexte auf Deutsch und Italienisch anbieten. Wo "
        "werden die Textbausteine gepflegt?",
        order="partnership-leman",
    ),
    S(
        "riviera",
        "partner",
        "check_estimate",
        "defect",
        "Verbrauchsgrafik zeigt negative Werte",
        "Bei einzelnen Kunden zeigt die Verbrauchsgrafik für Strom negative Werte an "
        "(z. B. Vertrag `RIV-004512`).",
        order="partnership-leman",
    ),
    S(
        "riviera",
        "partner",
        "answered",
        "config",
        "Offerte Lavaux: Mandantenfähigkeit für zweiten Netzbetreiber",
        "Für die Offerte an den Gemeindeverband Lavaux prüfen wir, ob ein zweiter "
        "Netzbetreiber als eigener Mandant im selben Portal betrieben werden kann.",
        order="lead-leman",
    ),
    S(
        "riviera",
        "partner",
        "expert",
        "defect",
        "Export der Zählerstände als CSV mit falschem Trennzeichen",
        "Der CSV-Export der Zählerstände verwendet Kommas statt Semikolons; Excel in der "
        "französischen Einstellung liest die Datei nicht korrekt.",
        order="partnership-leman",
    ),
    S(
        "riviera",
        "partner",
        "partner_question",
        "defect",
        "Kündigungsformular: Bestätigung geht an falsche Adresse",
        "Die Bestätigung einer Kündigung wird an die Rechnungsadresse statt an die "
        "E-Mail-Adresse des Kontos gesendet.",
        order="partnership-leman",
        filer="leman-employee-2",
    ),
    S(
        "riviera",
        "partner",
        "partner_question",
        "config",
        "Offerte Lavaux: Single Sign-on mit kantonaler Identität",
        "Der Gemeindeverband fragt, ob das Bürgerportal die kantonale Identität (VaudID) "
        "für das Login unterstützt.",
        order="lead-leman",
    ),
    S(
        "riviera",
        "partner",
        "solved",
        "defect",
        "Portail clients: Rechnungen älter als 12 Monate nicht abrufbar",
        "Rechnungen, die älter als ein Jahr sind, lassen sich im Portal nicht mehr öffnen "
        "(Fehler 404).",
        order="partnership-leman",
    ),
    S(
        "riviera",
        "partner",
        "closed",
        "defect",
        "Zählerstandsmeldung akzeptiert Datum in der Zukunft",
        "Kunden können einen Zählerstand mit einem Datum in der Zukunft melden; das führt "
        "zu falschen Zwischenabrechnungen.",
        order="partnership-leman",
    ),
    S(
        "riviera",
        "partner",
        "closed",
        "incident",
        "Zertifikat des Portals abgelaufen",
        "Browser melden beim Aufruf des Portals ein abgelaufenes Zertifikat.",
        order="partnership-leman",
        urgent=True,
    ),
    S(
        "riviera",
        "partner",
        "rejected",
        "change",
        "Offerte Lavaux: eigenes Modul für Parkkarten",
        "Der Gemeindeverband möchte Anwohnerparkkarten online verkaufen. Bitte um "
        "Umsetzung eines entsprechenden Moduls.",
        order="lead-leman",
    ),
    S(
        "riviera",
        "partner",
        "reopened",
        "defect",
        "Ratenzahlung: Plan wird nach Zahlung nicht aktualisiert",
        "Nach einer Zahlung bleibt die Rate im Portal als offen markiert, bis der Kunde sich "
        "neu anmeldet.",
        order="partnership-leman",
    ),
    # Aziende Municipalizzate Ceresio: the utility files itself (Léman Solutions is partner).
    S(
        "ceresio",
        "customer",
        "new",
        "config",
        "Portale clienti: Hinweis zur Wasserabstellung auf der Startseite",
        "Für die geplante Wasserabstellung im Quartier Molino Nuovo möchten wir einen "
        "Hinweis auf der Startseite des Portals anzeigen.",
    ),
    S(
        "ceresio",
        "customer",
        "check",
        "defect",
        "Gasverbrauch wird in Kubikmetern statt kWh angezeigt",
        "Seit der Umstellung zeigt das Portal den Gasverbrauch in m³ an; die Rechnung "
        "weist kWh aus.",
    ),
    S(
        "ceresio",
        "customer",
        "expert",
        "defect",
        "Automatische Abmeldung nach 2 Minuten",
        "Benutzer werden nach rund zwei Minuten ohne Warnung abgemeldet; eingestellt sind "
        "30 Minuten.",
    ),
    S(
        "ceresio",
        "customer",
        "customer_question",
        "howto",
        "Wie erteilen wir Hauswarten Leserechte für mehrere Zähler?",
        "Hauswarte sollen die Zählerstände mehrerer Liegenschaften sehen, aber keine Rechnungen.",
    ),
    S(
        "ceresio",
        "customer",
        "solved_customer",
        "defect",
        "Italienische Übersetzung im Registrierungsformular fehlt",
        "Im Registrierungsformular erscheinen einzelne Feldnamen auf Deutsch, obwohl "
        "Italienisch gewählt ist:\n\n- Vorname\n- Postleitzahl\n- Geburtsdatum",
    ),
    S(
        "ceresio",
        "customer",
        "closed",
        "defect",
        "Mahnstopp wird im Portal nicht angezeigt",
        "Ein im Backoffice gesetzter Mahnstopp erscheint im Portal nicht; Kunden erhalten "
        "dort weiterhin den Hinweis auf eine offene Mahnung.",
    ),
    S(
        "ceresio",
        "customer",
        "rejected",
        "custom",
        "Eigenes Berichtslayout für Jahresverbrauch bricht um",
        "Unser selbst erstelltes Berichtslayout für den Jahresverbrauch bricht auf der "
        "zweiten Seite falsch um.",
    ),
    S(
        "ceresio",
        "customer",
        "estimate_passed",
        "incident",
        "Schnittstelle zum Abrechnungssystem meldet Zeitüberschreitungen",
        "Die nächtliche Übertragung an das Abrechnungssystem bricht seit drei Nächten mit "
        "einer Zeitüberschreitung ab.",
    ),
    # Pensionskasse Zugerland: no partner; CS Team West answers the fund directly.
    S(
        "zugerland",
        "customer",
        "new",
        "defect",
        "Vorsorgeausweis: Einkaufspotenzial fehlt",
        "Auf dem Vorsorgeausweis im Portal fehlt seit dem Jahreswechsel die Angabe zum "
        "Einkaufspotenzial.",
    ),
    S(
        "zugerland",
        "customer",
        "new_overdue",
        "defect",
        "Simulation Teilpensionierung liefert Fehlermeldung",
        "Die Simulation einer Teilpensionierung mit 60 % bricht mit der Meldung "
        "«Berechnung nicht möglich» ab.",
    ),
    S(
        "zugerland",
        "customer",
        "check_estimate",
        "incident",
        "Portal sehr langsam am Monatsende",
        "Am letzten Arbeitstag des Monats dauern Seitenaufrufe bis zu 20 Sekunden. "
        "Betroffen sind vor allem Arbeitgeber beim Erfassen der Lohnmeldungen.",
    ),
    S(
        "zugerland",
        "customer",
        "answered",
        "config",
        "Arbeitgeberportal: neue Beitragsskala hinterlegen",
        "Ab Januar gilt eine neue Beitragsskala für die Altersgruppe 45–54. Wie und bis "
        "wann muss sie hinterlegt werden?",
    ),
    S(
        "zugerland",
        "customer",
        "expert",
        "defect",
        "Lohnmeldung per Datei-Upload: Fehler bei Austritten",
        "Beim Upload der Lohnmeldung werden Austritte mit Datum 31.12. als ungültig "
        "abgelehnt.\n\n```\nZeile 14: Austrittsdatum ausserhalb der Periode\n```",
    ),
    S(
        "zugerland",
        "customer",
        "customer_question",
        "defect",
        "Versicherte sehen Dokumente anderer Versicherter",
        "Ein Versicherter meldet, dass er nach der Anmeldung kurz die Dokumentenliste einer "
        "anderen Person gesehen hat. Wir konnten es nicht nachstellen.",
    ),
    S(
        "zugerland",
        "customer",
        "closed",
        "defect",
        "Adressänderung ohne Bestätigungsschritt gespeichert",
        "Adressänderungen werden sofort gespeichert, obwohl ein Bestätigungsschritt mit "
        "Code konfiguriert ist.",
    ),
    S(
        "zugerland",
        "customer",
        "rejected",
        "howto",
        "Wie erstellen wir einen Serienbrief an alle Rentner?",
        "Wir möchten allen Rentnerinnen und Rentnern einen Brief zur Teuerungszulage "
        "schicken. Wie erstellen wir die Adressliste aus dem Portal?",
    ),
    S(
        "zugerland",
        "customer",
        "closed",
        "incident",
        "Mails aus dem Portal landen im Spam",
        "Seit gestern landen die Mails des Portals (Passwort-Reset, Dokumente) bei vielen "
        "Empfängern im Spam-Ordner.",
    ),
)

# --- journal texts ---------------------------------------------------------------------------

NEXT_STEPS = (
    "Logs der betroffenen Zeitspanne auswerten und den Fehler im Testsystem nachstellen.",
    "Konfiguration des Mandanten mit dem Standard vergleichen; danach Rückmeldung an den Partner.",
    "Fehler nachgestellt. Nächste Schritte:\n\n1. Ursache im Code eingrenzen\n"
    "2. Korrektur im nächsten Hotfix einplanen\n3. Verifikation im Testsystem",
    "Datenbank-Abfragen der betroffenen Seite analysieren und mit dem Betrieb die "
    "Auslastung prüfen.",
    "Beispieldatensätze anfordern und mit der Produktentwicklung abklären, ob ein bekannter "
    "Fehler vorliegt.",
    "Schnittstellen-Protokolle der letzten drei Tage prüfen und Testmeldung auslösen.",
    "Reproduktion auf iOS und Android, anschliessend Fehlerbericht an die Entwicklung.",
    "Mit dem Betrieb die Überwachung der letzten 24 Stunden durchgehen.",
)
ESTIMATE_REASONS = (
    "Die Korrektur braucht ein Release der Produktentwicklung; das nächste ist am "
    "kommenden Donnerstag.",
    "Die Ursache liegt in einer Fremdkomponente; wir warten auf den Hersteller.",
    "Testsystem des Kunden war zwei Tage nicht verfügbar.",
    "Analyse aufwendiger als erwartet: betroffen sind auch ältere Datensätze.",
    "Verifikation durch den Partner erst nächste Woche möglich.",
)
PARTNER_QUESTIONS = (
    "Können Sie uns bitte zwei Beispiele mit Benutzerkennung und Uhrzeit nennen?",
    "Tritt der Fehler auch im Testsystem auf oder nur in der Produktion?",
    "Wurde an der Konfiguration in den letzten Tagen etwas geändert? Bitte um kurze Bestätigung.",
    "Können Sie die betroffene Datei (anonymisiert) bereitstellen?",
    "Welche Version des Customizings ist aktuell eingespielt?",
)
CUSTOMER_QUESTIONS = (
    "Können Sie bitte einen Bildschirmausschnitt der Fehlermeldung schicken?",
    "Mit welchem Browser und welchem Gerät arbeiten die Betroffenen?",
    "Seit wann genau besteht das Problem? War es vor dem letzten Wochenende noch in Ordnung?",
    "Wie viele Benutzer sind betroffen, alle oder nur einzelne?",
    "Dürfen wir uns zur Analyse mit einem Testbenutzer in Ihrem Mandanten anmelden?",
)
ANSWERS = (
    "Beispiele: Benutzer 40117 um 09:12 Uhr und Benutzer 40388 um 10:47 Uhr.",
    "Nur in der Produktion, im Testsystem konnten wir es nicht nachstellen.",
    "Nein, seit dem letzten Release wurde nichts geändert.",
    "Die Datei liegt anonymisiert im gemeinsamen Austauschordner.",
    "Betroffen sind alle Benutzer mit Safari auf iOS 18; Chrome funktioniert.",
    "Ja, der Testbenutzer ist freigeschaltet (gültig bis Ende Woche).",
    "Seit Montagmorgen; am Freitag hat noch alles funktioniert.",
)
PARTNER_COMMENTS = (
    "Der Kunde fragt nach einem Zwischenstand. Gibt es schon Neuigkeiten?",
    "Ergänzung: Das Problem tritt auch bei einem zweiten Mandanten auf.",
    "Danke für die rasche Rückmeldung!",
    "Wir haben den Kunden informiert, er wartet auf die Korrektur.",
)
VENDOR_COMMENTS = (
    "Wir haben die Ursache gefunden und arbeiten an der Korrektur.",
    "Zwischenstand: Die Analyse läuft, wir melden uns bis morgen Mittag.",
    "Korrektur ist im Testsystem eingespielt, bitte bei Gelegenheit prüfen.",
)
INTERNAL_NOTES = (
    "Gleiches Muster wie bei einem Ticket letzten Monat; vermutlich derselbe Cache-Fehler.",
    "Betrieb informiert, Monitoring zeigt erhöhte Antwortzeiten auf Knoten 2.",
    "Produktentwicklung bestätigt den Fehler, Korrektur kommt mit dem nächsten Hotfix.",
    "Achtung: Kunde hat ein eigenes Stylesheet eingespielt, bitte vor Analyse prüfen.",
    "Logauszug im internen Wiki abgelegt.",
)
EXPERT_HANDOVERS = (
    "Bitte Analyse der Schnittstelle übernehmen, Logs sind angehängt im Wiki.",
    "Vermutlich Fehler im Standardprodukt; bitte Ursache eingrenzen.",
    "Braucht Datenbank-Know-how, bitte übernehmen.",
)
SOLUTIONS = {
    "defect": (
        "Fehler im Standardprodukt behoben; die Korrektur ist mit Hotfix 24.3.2 produktiv.",
        "Ursache war eine fehlerhafte Datumsberechnung. Korrigiert und produktiv "
        "eingespielt; bitte kurz prüfen.",
        "Die Anzeige wurde korrigiert; betroffene Datensätze haben wir nachträglich bereinigt.",
    ),
    "incident": (
        "Ein Zertifikat bzw. ein überlasteter Knoten im Rechenzentrum war die Ursache. "
        "Behoben, Überwachung ergänzt.",
        "Störung behoben: Der Dienst wurde neu gestartet und die Warteschlange abgearbeitet.",
    ),
    "config": ("Die Einstellung wurde im Mandanten korrigiert.",),
    "howto": ("Anleitung siehe Handbuch, Kapitel «Benutzerverwaltung».",),
}
REOPEN_REASONS = (
    "Bei zwei Benutzern tritt der Fehler weiterhin auf.",
    "Die Korrektur wirkt nur für neue Datensätze, die bestehenden sind noch falsch.",
)
COVERAGE = {
    "defect": (
        Coverage.PRODUCT_DEFECT,
        "Fehler im Standardprodukt, nachgestellt im Referenzsystem.",
    ),
    "incident": (Coverage.OPERATIONS_INCIDENT, "Störung im Betrieb der Plattform."),
    "config": (
        Coverage.CONFIGURATION,
        "Die gewünschte Änderung ist eine Einstellung des Mandanten und gehört zur "
        "Konfiguration durch den Partner bzw. Kunden.",
    ),
    "howto": (
        Coverage.HOWTO,
        "Anwendungsfrage: Die Funktion ist im Handbuch beschrieben. Gerne unterstützen wir "
        "gegen Aufwand.",
    ),
    "change": (
        Coverage.CHANGE_REQUEST,
        "Neue Funktion, kein Fehler. Wir erstellen gerne eine Offerte.",
    ),
    "custom": (
        Coverage.CUSTOMIZING_ERROR,
        "Ursache ist das projektspezifische Customizing (eigenes Stylesheet bzw. Layout), "
        "nicht das Standardprodukt.",
    ),
}
ESCALATION_REASONS = (
    "Der Kunde kann seit Stunden nicht arbeiten; bitte sofort eine verantwortliche Person "
    "benennen.",
    "Finanzieller Schaden beim Kunden, die Geschäftsleitung verlangt eine Lagebesprechung.",
    "Keine Rückmeldung seit dem Vormittag, das Problem betrifft alle Benutzer.",
)
MEETING_NOTES = (
    "Lage besprochen: Ursache eingegrenzt, Workaround kommuniziert, nächste Meldung in "
    "zwei Stunden.",
    "Sofortmassnahmen vereinbart; Betrieb und Entwicklung arbeiten parallel. Nächster "
    "Termin morgen 08:00 Uhr.",
)


# --- the timeline ------------------------------------------------------------------------------


@dataclass
class Step:
    """One action of a story: ``gap`` hours (low, high) after the step before it."""

    run: Callable[[datetime.datetime], None]
    gap: tuple[float, float] = (1, 24)


@dataclass
class Plan:
    story: Story
    steps: list[Step]
    tail: tuple[float, float]  # hours between the last step and now
    office_hours: bool = True
    times: list[datetime.datetime] = field(default_factory=list)


def _office_moment(moment: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """``moment`` if it falls on a working day 07:30–18:00 in Zurich, else an earlier such
    moment (the last working day before, at some time in the day)."""
    local = moment.astimezone(ZURICH)
    start, end = datetime.time(7, 30), datetime.time(18, 0)
    if local.weekday() < 5 and start <= local.time() <= end:
        return moment
    day = local.date() if local.time() > end else local.date() - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    minutes = rng.randint(8 * 60, 17 * 60)
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), ZURICH)


def _lay_out(
    plan: Plan, rng: random.Random, now: datetime.datetime, floor: datetime.datetime
) -> None:
    """Times for the plan's steps, backwards from ``now``; none before ``floor``."""
    times = []
    cursor = now - rng.uniform(*plan.tail) * HOUR
    for index in range(len(plan.steps) - 1, -1, -1):
        if plan.office_hours and cursor < now - 12 * HOUR:
            cursor = _office_moment(cursor, rng)
        times.append(cursor)
        cursor -= rng.uniform(*plan.steps[index].gap) * HOUR
    times.reverse()
    if times[0] < floor:  # squeeze the story in after the contract began
        span, room = now - times[0], now - floor
        times = [floor + (t - times[0]) * (room / span) for t in times]
    plan.times = [t.astimezone(datetime.UTC) for t in times]


# --- who acts ----------------------------------------------------------------------------------


@dataclass
class Cast:
    filer: User
    agent: User
    expert: User
    partner_person: User | None
    customer_person: User
    coordinator: User | None
    project_lead: User | None


def _cast(demo: Demo, story: Story, rng: random.Random) -> Cast:
    contract = demo.contracts[story.customer]
    partner = contract.partner
    team = contract.contact_team
    from partnerdesk.demo.loader import VENDOR_STAFF  # the loader imports this module

    members = set(team.members.values_list("pk", flat=True))
    agents = {key: p for key, p in demo.people.items() if p.pk in members}
    cs_agents = [p for key, p in agents.items() if Role.CS_AGENT in VENDOR_STAFF[key][2]]
    experts = [p for key, p in agents.items() if Role.EXPERT in VENDOR_STAFF[key][2]]
    # Lukas (the printed CS agent log-in) does most of his team's work.
    agent = (
        demo.people["lukas"]
        if demo.people["lukas"] in cs_agents and rng.random() < 0.5
        else rng.choice(cs_agents)
    )
    customer_people = [
        p for key, p in demo.people.items() if key.startswith(f"{story.customer}-contact-")
    ]
    partner_people = []
    if partner is not None:
        key = partner.short_name
        partner_people = [p for k, p in demo.people.items() if k.startswith(f"{key}-employee-")]
    if story.filer:
        filer = demo.people[story.filer]
    elif story.by == "partner":
        filer = rng.choice([*partner_people, partner.coordinator])
    else:
        filer = rng.choice(customer_people)
    return Cast(
        filer=filer,
        agent=agent,
        expert=rng.choice([p for p in experts if p != agent] or experts),
        partner_person=(filer if filer.is_partner_person else rng.choice(partner_people))
        if partner
        else None,
        customer_person=filer
        if filer.organisation_id == contract.customer_id
        else rng.choice(customer_people),
        coordinator=partner.coordinator if partner else None,
        project_lead=partner.project_lead if partner else None,
    )


# --- the scenarios -----------------------------------------------------------------------------


class _Story:
    """The steps of one story, acting on ``self.ticket`` as the steps run."""

    def __init__(self, demo: Demo, story: Story, rng: random.Random, today: datetime.date):
        self.demo, self.story, self.rng, self.today = demo, story, rng, today
        self.cast = _cast(demo, story, rng)
        self.ticket: Ticket | None = None
        self.pick = rng.choice

    # single steps
    def file(self, at):
        story = self.story
        order = self.demo.orders[story.order] if story.order else None
        # Engagement tickets carry the partner's planned effort: 4 to 16 hours per task.
        planned = self.rng.randint(4, 16) * 60 if order and order.kind == "engagement" else None
        self.ticket = actions.ticket_file(
            acting_user=self.cast.filer,
            customer=self.demo.customers[story.customer],
            order=order,
            title=story.title,
            description=story.description,
            priority=Priority.URGENT if story.urgent else Priority.NORMAL,
            planned_minutes=planned,
            now=at,
        ).ticket

    def check(self, *, stays_open: bool, passed: bool = False):
        def run(at):
            day = timezone.localdate(at)
            if passed:
                estimate = day + datetime.timedelta(days=self.rng.randint(1, 3))
            elif stays_open:
                estimate = max(day + datetime.timedelta(days=3), self.today) + datetime.timedelta(
                    days=self.rng.randint(2, 12)
                )
            else:
                estimate = day + datetime.timedelta(days=self.rng.randint(2, 8))
            self.ticket = actions.ticket_check(
                acting_user=self.cast.agent,
                ticket=self.ticket,
                version=self.ticket.version,
                next_steps=self.pick(NEXT_STEPS),
                estimated_resolution_on=estimate,
                now=at,
            )

        return run

    def move_estimate(self, at):
        previous = self.ticket.estimated_resolution_on
        estimate = max(previous, self.today) + datetime.timedelta(days=self.rng.randint(3, 9))
        self.ticket = actions.ticket_set_estimate(
            acting_user=self.cast.agent,
            ticket=self.ticket,
            version=self.ticket.version,
            estimated_resolution_on=estimate,
            reason=self.pick(ESTIMATE_REASONS),
            now=at,
        )

    def comment(self, who: str, *, internal: bool = False):
        def run(at):
            user = getattr(self.cast, who)
            if internal:
                text = self.pick(INTERNAL_NOTES)
            elif user.is_vendor_staff:
                text = self.pick(VENDOR_COMMENTS)
            else:
                text = self.pick(PARTNER_COMMENTS)
            actions.ticket_comment(
                acting_user=user, ticket=self.ticket, text=text, internal=internal, now=at
            )
            self.ticket.refresh_from_db(fields=["version"])

        return run

    def ask(self, side: str):
        def run(at):
            person = self.cast.partner_person if side == "partner" else self.cast.customer_person
            questions = PARTNER_QUESTIONS if side == "partner" else CUSTOMER_QUESTIONS
            self.ticket = actions.ticket_ask(
                acting_user=self.cast.agent,
                ticket=self.ticket,
                version=self.ticket.version,
                person=person,
                question=self.pick(questions),
                now=at,
            )

        return run

    def answer(self, at):
        self.ticket = actions.ticket_answer(
            acting_user=self.ticket.responsible_person,
            ticket=self.ticket,
            version=self.ticket.version,
            answer=self.pick(ANSWERS),
            now=at,
        )

    def to_expert(self, at):
        self.ticket = actions.ticket_hand_over(
            acting_user=self.cast.agent,
            ticket=self.ticket,
            version=self.ticket.version,
            phase=Phase.EXPERT,
            person=self.cast.expert,
            comment=self.pick(EXPERT_HANDOVERS),
            now=at,
        )

    def back_from_expert(self, at):
        self.ticket = actions.ticket_hand_over(
            acting_user=self.cast.expert,
            ticket=self.ticket,
            version=self.ticket.version,
            phase=Phase.IN_PROGRESS,
            person=self.cast.agent,
            comment="Ursache gefunden, Korrektur vorbereitet; bitte Lösung mit dem Partner "
            "abstimmen.",
            now=at,
        )

    def coverage(self, kind: str | None = None):
        def run(at):
            coverage, reason = COVERAGE[kind or self.story.kind]
            self.ticket = actions.ticket_decide_coverage(
                acting_user=self.cast.agent,
                ticket=self.ticket,
                version=self.ticket.version,
                coverage=coverage,
                reason=reason,
                now=at,
            )

        return run

    def solve(self, at):
        self.ticket = actions.ticket_propose_solution(
            acting_user=self.cast.agent,
            ticket=self.ticket,
            version=self.ticket.version,
            solution=self.pick(SOLUTIONS.get(self.story.kind, SOLUTIONS["defect"])),
            now=at,
        )

    def confirm(self, at):
        self.ticket = actions.ticket_confirm(
            acting_user=self.ticket.responsible_person,
            ticket=self.ticket,
            version=self.ticket.version,
            now=at,
        )

    def reopen(self, at):
        self.ticket = actions.ticket_reopen(
            acting_user=self.ticket.responsible_person,
            ticket=self.ticket,
            version=self.ticket.version,
            reason=self.pick(REOPEN_REASONS),
            now=at,
        )

    def escalate(self, at):
        self.ticket = actions.ticket_escalate(
            acting_user=self.cast.coordinator,
            ticket=self.ticket,
            version=self.ticket.version,
            reason=self.pick(ESCALATION_REASONS),
            now=at,
        )

    def meeting(self, at):
        lead, coordinator = self.cast.project_lead, self.cast.coordinator
        actions.ticket_record_meeting(
            acting_user=lead,
            ticket=self.ticket,
            starts_at=at - datetime.timedelta(minutes=45),
            participants=f"{lead.full_name}, {self.cast.agent.full_name}, {coordinator.full_name}",
            link=f"https://meet.bsi.example/eskalation-{self.ticket.number}",
            notes=self.pick(MEETING_NOTES),
            now=at,
        )
        self.ticket.refresh_from_db(fields=["version"])

    # whole stories
    def plan(self) -> Plan:
        s = Step
        scenario = self.story.scenario
        file = s(self.file, (0, 0))
        check_open, check_done = self.check(stays_open=True), self.check(stays_open=False)
        if scenario == "new":
            return Plan(self.story, [file], tail=(0.3, 2.5), office_hours=False)
        if scenario == "new_overdue":
            return Plan(self.story, [file, s(self.comment("filer"), (30, 60))], tail=(150, 200))
        if scenario == "escalated_new":
            steps = [
                file,
                s(self.escalate, (0.5, 1)),
                s(self.meeting, (0.3, 0.6)),
                s(self.comment("project_lead", internal=True), (0.1, 0.3)),
            ]
            return Plan(self.story, steps, tail=(0.2, 0.5), office_hours=False)
        if scenario == "check":
            return Plan(
                self.story,
                [file, s(check_open, (2, 20)), s(self.comment("agent", internal=True), (1, 6))],
                tail=(2, 60),
            )
        if scenario == "check_estimate":
            steps = [
                file,
                s(check_open, (2, 20)),
                s(self.comment("filer"), (20, 50)),
                s(self.move_estimate, (2, 30)),
            ]
            return Plan(self.story, steps, tail=(5, 70))
        if scenario == "estimate_passed":
            steps = [
                file,
                s(self.check(stays_open=True, passed=True), (2, 20)),
                s(self.coverage(), (4, 30)),
            ]
            return Plan(self.story, steps, tail=(24 * 6, 24 * 12))
        if scenario == "answered":
            side = "partner" if self.story.by == "partner" else "customer"
            steps = [
                file,
                s(check_open, (2, 20)),
                s(self.ask(side), (3, 30)),
                s(self.answer, (2, 40)),
            ]
            return Plan(self.story, steps, tail=(2, 48))
        if scenario == "reopened":
            steps = [
                file,
                s(check_open, (2, 20)),
                s(self.coverage(), (4, 24)),
                s(self.solve, (20, 70)),
                s(self.reopen, (10, 50)),
            ]
            return Plan(self.story, steps, tail=(2, 30))
        if scenario == "revised":
            steps = [
                file,
                s(check_open, (2, 20)),
                s(self.coverage("config"), (2, 20)),
                s(self.comment("filer"), (2, 20)),
                s(self.coverage("defect"), (3, 24)),
                s(self.comment("agent", internal=True), (0.5, 3)),
            ]
            return Plan(self.story, steps, tail=(4, 40))
        if scenario == "expert":
            steps = [
                file,
                s(check_open, (2, 20)),
                s(self.to_expert, (2, 30)),
                s(self.comment("agent", internal=True), (0.2, 4)),
            ]
            return Plan(self.story, steps, tail=(2, 70))
        if scenario in ("partner_question", "customer_question"):
            side = scenario.split("_")[0]
            return Plan(
                self.story, [file, s(check_open, (2, 20)), s(self.ask(side), (3, 40))], tail=(3, 90)
            )
        if scenario in ("solved", "solved_customer"):
            steps = [
                file,
                s(check_open, (2, 20)),
                s(self.coverage(), (3, 24)),
                s(self.solve, (10, 80)),
            ]
            return Plan(self.story, steps, tail=(4, 24 * 6))
        if scenario == "closed":
            steps = [file, s(check_done, (1, 20))]
            if self.rng.random() < 0.5:
                steps.append(
                    s(self.ask("partner" if self.story.by == "partner" else "customer"), (2, 24))
                )
                steps.append(s(self.answer, (2, 30)))
            steps += [s(self.coverage(), (2, 24)), s(self.solve, (4, 60)), s(self.confirm, (2, 50))]
            return Plan(self.story, steps, tail=(24, 24 * 50))
        if scenario == "closed_reopen":
            steps = [
                file,
                s(check_done, (2, 20)),
                s(self.to_expert, (2, 20)),
                s(self.back_from_expert, (10, 50)),
                s(self.coverage(), (1, 4)),
                s(self.solve, (1, 8)),
                s(self.reopen, (20, 48)),
                s(self.solve, (10, 40)),
                s(self.confirm, (4, 30)),
            ]
            return Plan(self.story, steps, tail=(48, 24 * 20))
        if scenario == "rejected":
            steps = [file]
            if self.rng.random() < 0.5:
                steps += [
                    s(check_done, (2, 20)),
                    s(self.ask("partner" if self.story.by == "partner" else "customer"), (2, 24)),
                    s(self.answer, (2, 30)),
                ]
            steps += [s(self.coverage(), (2, 24)), s(self.comment("filer"), (1, 30))]
            return Plan(self.story, steps, tail=(24, 24 * 40))
        if scenario == "escalated":
            steps = [
                file,
                s(check_open, (0.5, 2)),
                s(self.escalate, (2, 6)),
                s(self.meeting, (0.5, 2)),
                s(self.to_expert, (0.2, 1)),
                s(self.comment("agent"), (1, 5)),
            ]
            return Plan(self.story, steps, tail=(3, 30))
        if scenario == "escalated_closed":
            steps = [
                file,
                s(self.escalate, (1, 2)),
                s(self.meeting, (0.5, 1.5)),
                s(check_done, (0.2, 1)),
                s(self.coverage(), (1, 4)),
                s(self.solve, (2, 8)),
                s(self.confirm, (2, 20)),
            ]
            return Plan(self.story, steps, tail=(24 * 3, 24 * 30))
        raise ValueError(f"unknown scenario {scenario!r}")


def demo_tickets(demo: Demo) -> None:
    """File every story and replay its history, in the order the tickets were filed."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, deterministic on purpose
    now = timezone.now()
    today = timezone.localdate(now)
    runs = []
    for story in STORIES:
        story_run = _Story(demo, story, rng, today)
        plan = story_run.plan()
        contract = demo.contracts[story.customer]
        floor = datetime.datetime.combine(contract.valid_from, datetime.time(7, 0), ZURICH)
        _lay_out(plan, rng, now, floor)
        runs.append(plan)
    runs.sort(key=lambda plan: plan.times[0])
    with notifications.muted():
        for plan in runs:
            for step, at in zip(plan.steps, plan.times, strict=True):
                step.run(at)
        tickets_scan_alerts(now=now)
