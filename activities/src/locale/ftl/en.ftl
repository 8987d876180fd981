# English. Arguments that are amounts or dates arrive formatted; $days and $count are numbers.

## The PDF

invoice-title = INVOICE
seller-caption = FROM
buyer-caption = BILL TO
issue-date = Issue date
supply-date = Date of supply
service-period = Service period
due-date = Due date
payment-terms = Terms
terms-days = { $days ->
    [0] Due on receipt
    [one] Net 1 day
   *[other] Net { $days } days
}
# A labelled value: "VAT ID: DE123", "IBAN: DE89 …".
field = { $label }: { $value }
period = { $from } – { $to }
tax-id-vat = VAT ID
tax-id-ein = EIN
tax-id-abn = ABN
tax-id-bn = BN
tax-id-other = Tax ID
registration = Registration
# $kind is "vat" or "sales".
tax-name = { $kind ->
    [sales] Sales tax
   *[vat] VAT
}
col-description = Description
col-quantity = Qty
col-unit = Unit
col-unit-price = Unit price
col-discount = Discount
col-tax = { $kind ->
    [sales] Tax
   *[vat] VAT
}
col-net = Amount
line-total = Total of lines
allowance = Discount
charge = Charge
net-total = { $kind ->
    [sales] Subtotal
   *[vat] Total excl. VAT
}
tax-total = { $kind ->
    [sales] Sales tax
   *[vat] VAT
}
gross-total = { $kind ->
    [sales] Total
   *[vat] Total incl. VAT
}
amount-paid = Amount paid
amount-due = Amount due
breakdown = { $kind ->
    [sales] Tax breakdown
   *[vat] VAT breakdown
}
breakdown-rate = Rate
breakdown-base = Taxable amount
breakdown-tax = Tax
category-S = { $percent }
category-Z = { $percent } (zero-rated)
category-E = { $percent } (exempt)
category-AE = { $percent } (reverse charge)
category-K = { $percent } (intra-EU supply)
category-G = { $percent } (export)
category-O = not subject to tax
legal-reverse-charge = Reverse charge: the customer is liable for the VAT (Article 196, Council Directive 2006/112/EC).
legal-intra-community = VAT-exempt intra-Community supply (Article 138, Council Directive 2006/112/EC).
legal-export = VAT-exempt export outside the EU (Article 146, Council Directive 2006/112/EC).
legal-exempt = Exempt from VAT: { $reason }
# Lines that name no rate: a seller who charges no tax, or an invoice from before rates.
legal-untaxed = No tax is charged on this invoice.
legal-outside-scope = Not subject to { $kind ->
    [sales] sales tax
   *[vat] VAT
}.
legal-outside-scope-reason = Not subject to { $kind ->
    [sales] sales tax
   *[vat] VAT
}: { $reason }
legal-inclusive = All prices include { $kind ->
    [sales] sales tax
   *[vat] VAT
}.
payment = Payment
payment-request = Please transfer { $amount } by { $date } to the account below.
account-holder = Account holder
iban = IBAN
bic = BIC
account-number = Account number
routing-number = Routing number
bank = Bank
payment-reference = Reference: { $number }
qr-caption = Scan to pay with your banking app
notes = Notes
page = Page { $page } of { $count }
mark-paid = PAID
mark-void = VOID

# A credit note: a document of its own that takes back part or all of a sent invoice.
credit-note-title = CREDIT NOTE
credit-note-date = Issue date
credit-note-buyer-caption = CREDIT TO
credit-note-for = Credit note for invoice { $number } of { $date }
credit-note-reason = Reason: { $reason }
credit-note-settlement = The amount credited is set off against what you owe us or refunded to you.
credited-total = Total credited
# A line crediting an amount of a tax category; $category is its code (S, E, O, …), $rate the
# rate as the tax breakdown names it.
credit-amount = { $category ->
    [O] Credit, not subject to { $kind ->
        [sales] sales tax
       *[vat] VAT
    }
   *[other] Credit, { $kind ->
        [sales] sales tax
       *[vat] VAT
    } { $rate }
}
# The amounts earlier credit notes took back, left out of the note crediting the rest.
credited-earlier = Credited earlier
## The statement of account

statement-title = STATEMENT OF ACCOUNT
statement-date = Statement date
statement-period = Period
statement-customer-caption = CUSTOMER
# What the footer calls the document; $period is formatted.
statement-reference = Statement { $period }
# $currency is an ISO 4217 code.
statement-currency = Amounts in { $currency }
statement-currency-continued = Amounts in { $currency } (continued)
statement-col-date = Date
statement-col-transaction = Transaction
statement-col-document = Document
statement-col-debit = Debit
statement-col-credit = Credit
statement-col-balance = Balance
statement-opening = Opening balance
statement-totals = Total for the period
statement-closing = Closing balance
statement-credited = Of which credit notes
statement-credit-balance = Your credit balance
statement-credit-balance-note = Your credit balance is what credit notes took beyond what was due and we keep for you; the closing balance already counts it.
# One label per kind of movement, by the kind's name (invoicing_store::statements::MovementKind).
statement-kind-invoice = Invoice
statement-kind-void = Invoice voided
statement-kind-payment = Payment
statement-kind-credit_applied = Credit balance applied
statement-kind-refund = Refund
statement-kind-write_off = Written off
statement-kind-recovery = Write-off recovered
statement-kind-credit_note = Credit note
statement-empty = Nothing was owed on { $from }, and nothing was invoiced, paid or written off until { $to }.
statement-note = Debits are amounts charged to the account; credits are payments and other amounts that reduce what is owed. Please let us know if anything differs from your records.
# The file's name: ASCII letters, digits and dashes only. $from and $to are YYYY-MM-DD.
statement-file-name = statement-{ $from }-to-{ $to }

## Units (UN/ECE Recommendation 20)

unit-C62 = unit
unit-H87 = pc
unit-SET = set
unit-LS = lump sum
unit-MIN = min
unit-HUR = hour
unit-DAY = day
unit-WEE = week
unit-MON = month
unit-ANN = year
unit-KGM = kg
unit-GRM = g
unit-TNE = t
unit-MTR = m
unit-KMT = km
unit-MTK = m²
unit-MTQ = m³
unit-LTR = l
unit-KWH = kWh
unit-E48 = service

## Countries (CLDR region names)

country-AT = Austria
country-AU = Australia
country-BE = Belgium
country-CA = Canada
country-CH = Switzerland
country-CZ = Czechia
country-DE = Germany
country-DK = Denmark
country-ES = Spain
country-FI = Finland
country-FR = France
country-GB = United Kingdom
country-GR = Greece
country-IE = Ireland
country-IT = Italy
country-JP = Japan
country-LU = Luxembourg
country-NL = Netherlands
country-NO = Norway
country-PL = Poland
country-PT = Portugal
country-SE = Sweden
country-US = United States

## E-mails

email-dear = Dear { $name },
email-sent-subject = Invoice { $number } from { $seller }: { $amount } due { $date }
email-sent-title = Invoice { $number }
email-sent-body = Please find attached invoice { $number } for { $total }, due on { $date }.
email-reminder-title = Payment reminder
email-overdue-title = Invoice { $number } is overdue
email-reminder-before-subject = Reminder: invoice { $number } is due in { $days ->
    [one] 1 day
   *[other] { $days } days
}
email-reminder-today-subject = Reminder: invoice { $number } is due today
email-overdue-subject = Overdue: invoice { $number } was due { $days ->
    [one] 1 day
   *[other] { $days } days
} ago
email-reminder-before-body = A friendly reminder that invoice { $number } for { $amount } is due in { $days ->
    [one] 1 day
   *[other] { $days } days
}, on { $date }.
email-reminder-today-body = A friendly reminder that invoice { $number } for { $amount } is due today.
email-overdue-body = Invoice { $number } was due on { $date }, { $days ->
    [one] 1 day
   *[other] { $days } days
} ago, and { $amount } is still outstanding. Please arrange payment at your earliest convenience.
email-reminder-paid = If you have already paid, thank you, and please disregard this message.
email-receipt-subject = Payment received for invoice { $number }
email-receipt-title = Payment received
email-receipt-body = Thank you: we received your payment of { $amount } for invoice { $number }.
email-receipt-settled = The invoice is now paid in full.
email-receipt-remaining = { $amount } remains due by { $date }.
email-voided-subject = Invoice { $number } has been voided
email-voided-body = Invoice { $number } has been voided and no payment is due for it.
email-voided-reason = Reason: { $reason }
email-credit-note-subject = Credit note { $note } for invoice { $number } from { $seller }
email-credit-note-title = Credit note { $note }
email-credit-note-body = Please find attached credit note { $note } for { $amount }, which credits invoice { $number }.
email-credit-note-reason = Reason: { $reason }
email-credit-note-settled = Nothing is due on invoice { $number } any more.
email-label-credit-note = Credit note
email-label-credited = Credited
email-label-invoice = Invoice
email-label-due-date = Due date
email-label-total = Total
email-label-amount-due = Amount due
email-questions = Questions about this invoice? Reply to this e-mail to reach { $seller }.
email-sender = { $seller } via { $platform }
email-draft = (draft)
email-statement-subject = Statement of account from { $seller }: { $period }
email-statement-title = Statement of account
email-statement-body = Please find attached your statement of account for { $period }.
email-statement-nothing = Nothing was owed at the start of the period, and nothing was invoiced, paid or written off in it.
email-statement-balance = Balance on { $date }
email-label-period = Period
email-statement-questions = Questions about this statement? Reply to this e-mail to reach { $seller }.
