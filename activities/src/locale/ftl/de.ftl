# Deutsch. Beträge und Daten kommen formatiert; $days und $count sind Zahlen.

## Die PDF-Rechnung

invoice-title = RECHNUNG
seller-caption = VON
buyer-caption = RECHNUNG AN
issue-date = Rechnungsdatum
supply-date = Liefer-/Leistungsdatum
service-period = Leistungszeitraum
due-date = Fällig am
payment-terms = Zahlungsziel
terms-days = { $days ->
    [0] Sofort fällig
    [one] 1 Tag netto
   *[other] { $days } Tage netto
}
# A labelled value: "VAT ID: DE123", "IBAN: DE89 …".
field = { $label }: { $value }
period = { $from } – { $to }
tax-id-vat = USt-IdNr.
tax-id-ein = EIN
tax-id-abn = ABN
tax-id-bn = BN
tax-id-other = Steuernummer
registration = Handelsregister
tax-name = { $kind ->
    [sales] Umsatzsteuer
   *[vat] USt.
}
col-description = Beschreibung
col-quantity = Menge
col-unit = Einheit
col-unit-price = Einzelpreis
col-discount = Rabatt
col-tax = { $kind ->
    [sales] Steuer
   *[vat] USt.
}
col-net = Betrag
line-total = Summe Positionen
allowance = Nachlass
charge = Zuschlag
net-total = Gesamtbetrag netto
tax-total = Umsatzsteuer
gross-total = Gesamtbetrag brutto
amount-paid = Bereits bezahlt
amount-due = Zahlbetrag
breakdown = Aufstellung der Umsatzsteuer
breakdown-rate = Steuersatz
breakdown-base = Nettobetrag
breakdown-tax = Steuer
category-S = { $percent }
category-Z = { $percent } (Nullsatz)
category-E = { $percent } (steuerbefreit)
category-AE = { $percent } (Reverse-Charge)
category-K = { $percent } (innergemeinschaftlich)
category-G = { $percent } (Ausfuhr)
category-O = nicht steuerbar
legal-reverse-charge = Steuerschuldnerschaft des Leistungsempfängers (Reverse-Charge, Art. 196 der Richtlinie 2006/112/EG).
legal-intra-community = Steuerfreie innergemeinschaftliche Lieferung (Art. 138 der Richtlinie 2006/112/EG).
legal-export = Steuerfreie Ausfuhrlieferung (Art. 146 der Richtlinie 2006/112/EG).
legal-exempt = Steuerbefreit: { $reason }
# Lines that name no rate: a seller who charges no tax, or an invoice from before rates.
legal-untaxed = Auf dieser Rechnung wird keine Steuer berechnet.
legal-outside-scope = Nicht steuerbarer Umsatz.
legal-outside-scope-reason = Nicht steuerbarer Umsatz: { $reason }
legal-inclusive = Alle Preise enthalten die gesetzliche Umsatzsteuer.
payment = Zahlung
payment-request = Bitte überweisen Sie { $amount } bis zum { $date } auf das folgende Konto.
account-holder = Kontoinhaber
iban = IBAN
bic = BIC
account-number = Kontonummer
routing-number = Bankleitzahl
bank = Bank
payment-reference = Verwendungszweck: { $number }
qr-caption = Mit der Banking-App scannen und bezahlen
notes = Anmerkungen
page = Seite { $page } von { $count }
mark-paid = BEZAHLT
mark-void = STORNIERT

# Eine Rechnungskorrektur (Typ 381). Nicht "Gutschrift": so heißt nach § 14 Abs. 2 Satz 2 und
# Abs. 4 Nr. 10 UStG die Abrechnung des Leistungsempfängers, und eine Verwechslung damit ist,
# was die Finanzverwaltung bei kaufmännischen Gutschriften beanstandet.
credit-note-title = RECHNUNGSKORREKTUR
credit-note-date = Datum
credit-note-buyer-caption = AN
credit-note-for = Korrektur zur Rechnung { $number } vom { $date }
credit-note-reason = Grund: { $reason }
credit-note-settlement = Der Betrag wird mit Ihren offenen Posten verrechnet oder Ihnen erstattet.
credited-total = { $kind ->
    [sales] Korrekturbetrag
   *[vat] Korrekturbetrag brutto
}
credit-amount = { $category ->
    [O] Entgeltminderung, nicht steuerbar
   *[other] Entgeltminderung, { $kind ->
        [sales] Umsatzsteuer
       *[vat] USt.
    } { $rate }
}
credited-earlier = Bereits früher korrigiert
## Der Kontoauszug

statement-title = KONTOAUSZUG
statement-date = Auszugsdatum
statement-period = Zeitraum
statement-customer-caption = KUNDE
statement-reference = Kontoauszug { $period }
statement-currency = Beträge in { $currency }
statement-currency-continued = Beträge in { $currency } (Fortsetzung)
statement-col-date = Datum
statement-col-transaction = Vorgang
statement-col-document = Beleg
statement-col-debit = Soll
statement-col-credit = Haben
statement-col-balance = Saldo
statement-opening = Anfangssaldo
statement-totals = Summe des Zeitraums
statement-closing = Endsaldo
statement-credited = Davon Gutschriften
statement-credit-balance = Ihr Guthaben
statement-credit-balance-note = Ihr Guthaben ist, was Gutschriften über den offenen Betrag hinaus gutgeschrieben haben und wir für Sie führen; der Endsaldo berücksichtigt es bereits.
statement-kind-invoice = Rechnung
statement-kind-void = Rechnung storniert
statement-kind-payment = Zahlung
statement-kind-credit_applied = Guthaben verrechnet
statement-kind-refund = Erstattung
statement-kind-write_off = Abschreibung
statement-kind-recovery = Wiedereingang nach Abschreibung
statement-kind-credit_note = Gutschrift
statement-empty = Am { $from } war nichts offen, und bis zum { $to } wurde nichts berechnet, bezahlt oder abgeschrieben.
statement-note = Im Soll stehen Beträge, die dem Konto belastet wurden; im Haben Zahlungen und andere Beträge, die den offenen Betrag mindern. Bitte teilen Sie uns mit, wenn etwas von Ihren Unterlagen abweicht.
statement-file-name = Kontoauszug-{ $from }-bis-{ $to }

## Einheiten (UN/ECE-Empfehlung 20)

unit-C62 = Einh.
unit-H87 = Stk.
unit-SET = Satz
unit-LS = pauschal
unit-MIN = Min.
unit-HUR = Std.
unit-DAY = Tag
unit-WEE = Woche
unit-MON = Monat
unit-ANN = Jahr
unit-KGM = kg
unit-GRM = g
unit-TNE = t
unit-MTR = m
unit-KMT = km
unit-MTK = m²
unit-MTQ = m³
unit-LTR = l
unit-KWH = kWh
unit-E48 = Leistung

## Länder (CLDR)

country-AT = Österreich
country-AU = Australien
country-BE = Belgien
country-CA = Kanada
country-CH = Schweiz
country-CZ = Tschechien
country-DE = Deutschland
country-DK = Dänemark
country-ES = Spanien
country-FI = Finnland
country-FR = Frankreich
country-GB = Vereinigtes Königreich
country-GR = Griechenland
country-IE = Irland
country-IT = Italien
country-JP = Japan
country-LU = Luxemburg
country-NL = Niederlande
country-NO = Norwegen
country-PL = Polen
country-PT = Portugal
country-SE = Schweden
country-US = Vereinigte Staaten

## E-Mails

email-dear = Guten Tag { $name },
email-sent-subject = Rechnung { $number } von { $seller }: { $amount } fällig am { $date }
email-sent-title = Rechnung { $number }
email-sent-body = anbei erhalten Sie die Rechnung { $number } über { $total }, fällig am { $date }.
email-reminder-title = Zahlungserinnerung
email-overdue-title = Rechnung { $number } ist überfällig
email-reminder-before-subject = Erinnerung: Rechnung { $number } ist in { $days ->
    [one] 1 Tag
   *[other] { $days } Tagen
} fällig
email-reminder-today-subject = Erinnerung: Rechnung { $number } ist heute fällig
email-overdue-subject = Überfällig: Rechnung { $number } war vor { $days ->
    [one] 1 Tag
   *[other] { $days } Tagen
} fällig
email-reminder-before-body = wir möchten Sie freundlich daran erinnern, dass die Rechnung { $number } über { $amount } in { $days ->
    [one] 1 Tag
   *[other] { $days } Tagen
} fällig ist, am { $date }.
email-reminder-today-body = wir möchten Sie freundlich daran erinnern, dass die Rechnung { $number } über { $amount } heute fällig ist.
email-overdue-body = die Rechnung { $number } war am { $date } fällig, vor { $days ->
    [one] 1 Tag
   *[other] { $days } Tagen
}, und { $amount } sind noch offen. Bitte begleichen Sie den Betrag so bald wie möglich.
email-reminder-paid = Falls Sie bereits bezahlt haben, vielen Dank – dann betrachten Sie diese Nachricht bitte als gegenstandslos.
email-receipt-subject = Zahlung für Rechnung { $number } erhalten
email-receipt-title = Zahlung erhalten
email-receipt-body = vielen Dank: Wir haben Ihre Zahlung über { $amount } für die Rechnung { $number } erhalten.
email-receipt-settled = Die Rechnung ist damit vollständig bezahlt.
email-receipt-remaining = { $amount } sind noch bis zum { $date } offen.
email-voided-subject = Rechnung { $number } wurde storniert
email-voided-body = die Rechnung { $number } wurde storniert; es ist keine Zahlung dafür fällig.
email-voided-reason = Grund: { $reason }
email-credit-note-subject = Rechnungskorrektur { $note } zur Rechnung { $number } von { $seller }
email-credit-note-title = Rechnungskorrektur { $note }
email-credit-note-body = Anbei erhalten Sie die Rechnungskorrektur { $note } über { $amount } zur Rechnung { $number }.
email-credit-note-reason = Grund: { $reason }
email-credit-note-settled = Auf die Rechnung { $number } ist nichts mehr zu zahlen.
email-label-credit-note = Rechnungskorrektur
email-label-credited = Korrekturbetrag
email-label-invoice = Rechnung
email-label-due-date = Fällig am
email-label-total = Gesamtbetrag
email-label-amount-due = Zahlbetrag
email-questions = Fragen zu dieser Rechnung? Antworten Sie auf diese E-Mail, um { $seller } zu erreichen.
email-sender = { $seller } über { $platform }
email-draft = (Entwurf)
email-statement-subject = Kontoauszug von { $seller }: { $period }
email-statement-title = Kontoauszug
email-statement-body = anbei erhalten Sie Ihren Kontoauszug für den Zeitraum { $period }.
email-statement-nothing = Zu Beginn des Zeitraums war nichts offen, und in ihm wurde nichts berechnet, bezahlt oder abgeschrieben.
email-statement-balance = Saldo am { $date }
email-label-period = Zeitraum
email-statement-questions = Fragen zu diesem Kontoauszug? Antworten Sie auf diese E-Mail, um { $seller } zu erreichen.
