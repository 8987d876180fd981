# Français. Les montants et les dates arrivent formatés ; $days et $count sont des nombres.

## La facture PDF

invoice-title = FACTURE
seller-caption = ÉMETTEUR
buyer-caption = FACTURÉ À
issue-date = Date de facture
supply-date = Date de livraison
service-period = Période de prestation
due-date = Date d’échéance
payment-terms = Conditions
terms-days = { $days ->
    [0] Payable à réception
   *[other] { $days } jours net
}
# A labelled value: "VAT ID: DE123", "IBAN: DE89 …".
field = { $label } : { $value }
period = du { $from } au { $to }
tax-id-vat = N° TVA
tax-id-ein = EIN
tax-id-abn = ABN
tax-id-bn = BN
tax-id-other = Identifiant fiscal
registration = Immatriculation
tax-name = { $kind ->
    [sales] taxe sur les ventes
   *[vat] TVA
}
col-description = Désignation
col-quantity = Qté
col-unit = Unité
col-unit-price = Prix unitaire
col-discount = Remise
col-tax = { $kind ->
    [sales] Taxe
   *[vat] TVA
}
col-net = Montant
line-total = Total des lignes
allowance = Remise
charge = Frais
net-total = Total HT
tax-total = { $kind ->
    [sales] Taxe sur les ventes
   *[vat] TVA
}
gross-total = Total TTC
amount-paid = Déjà payé
amount-due = Net à payer
breakdown = Détail de la TVA
breakdown-rate = Taux
breakdown-base = Base HT
breakdown-tax = Montant TVA
category-S = { $percent }
category-Z = { $percent } (taux zéro)
category-E = { $percent } (exonéré)
category-AE = { $percent } (autoliquidation)
category-K = { $percent } (livraison intracommunautaire)
category-G = { $percent } (exportation)
category-O = hors champ de la TVA
legal-reverse-charge = Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE).
legal-intra-community = Exonération de TVA, article 138 de la directive 2006/112/CE (livraison intracommunautaire).
legal-export = Exonération de TVA, article 146 de la directive 2006/112/CE (exportation hors UE).
legal-exempt = Exonération de TVA : { $reason }
# Lines that name no rate: a seller who charges no tax, or an invoice from before rates.
legal-untaxed = Aucune taxe n’est facturée sur cette facture.
legal-outside-scope = Opération hors du champ d’application de la TVA.
legal-outside-scope-reason = Opération hors du champ d’application de la TVA : { $reason }
legal-inclusive = Tous les prix s’entendent TTC.
payment = Paiement
payment-request = Merci de virer { $amount } au plus tard le { $date } sur le compte ci-dessous.
account-holder = Titulaire du compte
iban = IBAN
bic = BIC
account-number = Numéro de compte
routing-number = Code banque
bank = Banque
payment-reference = Référence : { $number }
qr-caption = Scannez pour payer avec votre application bancaire
notes = Remarques
page = Page { $page } sur { $count }
mark-paid = PAYÉE
mark-void = ANNULÉE

# Un avoir (type 381), qui annule ou réduit une facture émise.
credit-note-title = AVOIR
credit-note-date = Date de l’avoir
credit-note-buyer-caption = DESTINATAIRE
credit-note-for = Avoir sur la facture { $number } du { $date }
credit-note-reason = Motif : { $reason }
credit-note-settlement = Le montant sera déduit de vos prochains règlements ou vous sera remboursé.
credited-total = { $kind ->
    [sales] Total de l’avoir
   *[vat] Total de l’avoir TTC
}
credit-amount = { $category ->
    [O] Montant crédité, hors champ de la { $kind ->
        [sales] taxe sur les ventes
       *[vat] TVA
    }
   *[other] Montant crédité, { $kind ->
        [sales] taxe sur les ventes
       *[vat] TVA
    } { $rate }
}
credited-earlier = Déjà crédité
## Le relevé de compte

statement-title = RELEVÉ DE COMPTE
statement-date = Date du relevé
statement-period = Période
statement-customer-caption = CLIENT
statement-reference = Relevé { $period }
statement-currency = Montants en { $currency }
statement-currency-continued = Montants en { $currency } (suite)
statement-col-date = Date
statement-col-transaction = Opération
statement-col-document = Pièce
statement-col-debit = Débit
statement-col-credit = Crédit
statement-col-balance = Solde
statement-opening = Solde initial
statement-totals = Total de la période
statement-closing = Solde final
statement-credited = Dont avoirs
statement-credit-balance = Votre crédit disponible
statement-credit-balance-note = Votre crédit disponible correspond à ce que les avoirs ont crédité au-delà du montant dû et que nous conservons pour vous ; le solde final en tient déjà compte.
statement-kind-invoice = Facture
statement-kind-void = Facture annulée
statement-kind-payment = Paiement
statement-kind-credit_applied = Avoir imputé
statement-kind-refund = Remboursement
statement-kind-write_off = Passé en perte
statement-kind-recovery = Recouvrement après perte
statement-kind-credit_note = Avoir
statement-empty = Rien n’était dû le { $from }, et rien n’a été facturé, payé ni passé en perte jusqu’au { $to }.
statement-note = Le débit correspond aux montants portés au compte ; le crédit, aux paiements et autres montants qui réduisent le solde dû. Merci de nous signaler toute différence avec vos écritures.
statement-file-name = releve-de-compte-{ $from }-au-{ $to }

## Unités (recommandation 20 de la CEE-ONU)

unit-C62 = unité
unit-H87 = pce
unit-SET = lot
unit-LS = forfait
unit-MIN = min
unit-HUR = h
unit-DAY = jour
unit-WEE = semaine
unit-MON = mois
unit-ANN = an
unit-KGM = kg
unit-GRM = g
unit-TNE = t
unit-MTR = m
unit-KMT = km
unit-MTK = m²
unit-MTQ = m³
unit-LTR = l
unit-KWH = kWh
unit-E48 = prestation

## Pays (CLDR)

country-AT = Autriche
country-AU = Australie
country-BE = Belgique
country-CA = Canada
country-CH = Suisse
country-CZ = Tchéquie
country-DE = Allemagne
country-DK = Danemark
country-ES = Espagne
country-FI = Finlande
country-FR = France
country-GB = Royaume-Uni
country-GR = Grèce
country-IE = Irlande
country-IT = Italie
country-JP = Japon
country-LU = Luxembourg
country-NL = Pays-Bas
country-NO = Norvège
country-PL = Pologne
country-PT = Portugal
country-SE = Suède
country-US = États-Unis

## E-mails

email-dear = Bonjour { $name },
email-sent-subject = Facture { $number } de { $seller } : { $amount } à payer avant le { $date }
email-sent-title = Facture { $number }
email-sent-body = Veuillez trouver ci-joint la facture { $number } d’un montant de { $total }, payable au plus tard le { $date }.
email-reminder-title = Rappel de paiement
email-overdue-title = La facture { $number } est en retard
email-reminder-before-subject = Rappel : la facture { $number } arrive à échéance dans { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}
email-reminder-today-subject = Rappel : la facture { $number } arrive à échéance aujourd’hui
email-overdue-subject = En retard : la facture { $number } était due il y a { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}
email-reminder-before-body = Nous vous rappelons que la facture { $number } d’un montant de { $amount } arrive à échéance dans { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}, le { $date }.
email-reminder-today-body = Nous vous rappelons que la facture { $number } d’un montant de { $amount } arrive à échéance aujourd’hui.
email-overdue-body = La facture { $number } était due le { $date }, il y a { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}, et { $amount } restent à régler. Merci de procéder au paiement dans les meilleurs délais.
email-reminder-paid = Si vous avez déjà payé, merci, et veuillez ne pas tenir compte de ce message.
email-receipt-subject = Paiement reçu pour la facture { $number }
email-receipt-title = Paiement reçu
email-receipt-body = Merci : nous avons bien reçu votre paiement de { $amount } pour la facture { $number }.
email-receipt-settled = La facture est désormais entièrement réglée.
email-receipt-remaining = Il reste { $amount } à régler avant le { $date }.
email-voided-subject = La facture { $number } a été annulée
email-voided-body = La facture { $number } a été annulée ; aucun paiement n’est dû.
email-voided-reason = Motif : { $reason }
email-credit-note-subject = Avoir { $note } sur la facture { $number } de { $seller }
email-credit-note-title = Avoir { $note }
email-credit-note-body = Veuillez trouver ci-joint l’avoir { $note } d’un montant de { $amount }, relatif à la facture { $number }.
email-credit-note-reason = Motif : { $reason }
email-credit-note-settled = Plus rien n’est dû sur la facture { $number }.
email-label-credit-note = Avoir
email-label-credited = Montant de l’avoir
email-label-invoice = Facture
email-label-due-date = Échéance
email-label-total = Total
email-label-amount-due = Net à payer
email-questions = Une question sur cette facture ? Répondez à cet e-mail pour joindre { $seller }.
email-sender = { $seller } via { $platform }
email-draft = (brouillon)
email-statement-subject = Relevé de compte de { $seller } : { $period }
email-statement-title = Relevé de compte
email-statement-body = Veuillez trouver ci-joint votre relevé de compte pour la période { $period }.
email-statement-nothing = Rien n’était dû au début de la période, et rien n’a été facturé, payé ni passé en perte pendant celle-ci.
email-statement-balance = Solde au { $date }
email-label-period = Période
email-statement-questions = Une question sur ce relevé ? Répondez à cet e-mail pour joindre { $seller }.
