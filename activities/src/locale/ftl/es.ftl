# Español. Los importes y las fechas llegan formateados; $days y $count son números.

## La factura en PDF

invoice-title = FACTURA
seller-caption = EMISOR
buyer-caption = FACTURAR A
issue-date = Fecha de factura
supply-date = Fecha de la operación
service-period = Periodo de servicio
due-date = Vencimiento
payment-terms = Condiciones
terms-days = { $days ->
    [0] Pago al contado
    [one] 1 día neto
   *[other] { $days } días netos
}
# A labelled value: "VAT ID: DE123", "IBAN: DE89 …".
field = { $label }: { $value }
period = del { $from } al { $to }
tax-id-vat = NIF-IVA
tax-id-ein = EIN
tax-id-abn = ABN
tax-id-bn = BN
tax-id-other = NIF
registration = Registro
tax-name = { $kind ->
    [sales] impuesto sobre ventas
   *[vat] IVA
}
col-description = Descripción
col-quantity = Cant.
col-unit = Unidad
col-unit-price = Precio unitario
col-discount = Descuento
col-tax = { $kind ->
    [sales] Impuesto
   *[vat] IVA
}
col-net = Importe
line-total = Total de líneas
allowance = Descuento
charge = Recargo
net-total = Base imponible
tax-total = { $kind ->
    [sales] Impuesto sobre ventas
   *[vat] IVA
}
gross-total = Total factura
amount-paid = Importe pagado
amount-due = Importe a pagar
breakdown = Desglose del IVA
breakdown-rate = Tipo
breakdown-base = Base imponible
breakdown-tax = Cuota
category-S = { $percent }
category-Z = { $percent } (tipo cero)
category-E = { $percent } (exento)
category-AE = { $percent } (inversión del sujeto pasivo)
category-K = { $percent } (entrega intracomunitaria)
category-G = { $percent } (exportación)
category-O = no sujeto
legal-reverse-charge = Inversión del sujeto pasivo (artículo 196 de la Directiva 2006/112/CE).
legal-intra-community = Entrega intracomunitaria exenta de IVA (artículo 138 de la Directiva 2006/112/CE).
legal-export = Exportación exenta de IVA (artículo 146 de la Directiva 2006/112/CE).
legal-exempt = Exento de IVA: { $reason }
# Lines that name no rate: a seller who charges no tax, or an invoice from before rates.
legal-untaxed = Esta factura no repercute ningún impuesto.
legal-outside-scope = Operación no sujeta a IVA.
legal-outside-scope-reason = Operación no sujeta a IVA: { $reason }
legal-inclusive = Todos los precios incluyen IVA.
payment = Pago
payment-request = Le rogamos transfiera { $amount } antes del { $date } a la siguiente cuenta.
account-holder = Titular
iban = IBAN
bic = BIC
account-number = Número de cuenta
routing-number = Código de banco
bank = Banco
payment-reference = Concepto: { $number }
qr-caption = Escanee para pagar con su app bancaria
notes = Notas
page = Página { $page } de { $count }
mark-paid = PAGADA
mark-void = ANULADA

# Una factura rectificativa (tipo 381): el nombre que exige el artículo 15 del Reglamento de
# facturación (Real Decreto 1619/2012).
credit-note-title = FACTURA RECTIFICATIVA
credit-note-date = Fecha de emisión
credit-note-buyer-caption = DESTINATARIO
credit-note-for = Rectifica la factura { $number } del { $date }
credit-note-reason = Motivo: { $reason }
credit-note-settlement = El importe se compensará con lo que nos adeude o se le reembolsará.
credited-total = Total abonado
credit-amount = { $category ->
    [O] Abono, no sujeto
   *[other] Abono, { $kind ->
        [sales] impuesto sobre ventas
       *[vat] IVA
    } { $rate }
}
credited-earlier = Abonado anteriormente
## El estado de cuenta

statement-title = ESTADO DE CUENTA
statement-date = Fecha del estado
statement-period = Periodo
statement-customer-caption = CLIENTE
statement-reference = Estado de cuenta { $period }
statement-currency = Importes en { $currency }
statement-currency-continued = Importes en { $currency } (continuación)
statement-col-date = Fecha
statement-col-transaction = Concepto
statement-col-document = Documento
statement-col-debit = Debe
statement-col-credit = Haber
statement-col-balance = Saldo
statement-opening = Saldo inicial
statement-totals = Total del periodo
statement-closing = Saldo final
statement-credited = De ello, facturas rectificativas
statement-credit-balance = Su saldo a favor
statement-credit-balance-note = Su saldo a favor es lo que las facturas rectificativas abonaron por encima del importe pendiente y conservamos para usted; el saldo final ya lo incluye.
statement-kind-invoice = Factura
statement-kind-void = Factura anulada
statement-kind-payment = Pago
statement-kind-credit_applied = Saldo a favor aplicado
statement-kind-refund = Reembolso
statement-kind-write_off = Incobrable
statement-kind-recovery = Recuperación de incobrable
statement-kind-credit_note = Factura rectificativa
statement-empty = No se debía nada el { $from }, y hasta el { $to } no se facturó, pagó ni dio por incobrable nada.
statement-note = En el debe figuran los importes cargados en la cuenta; en el haber, los pagos y otros importes que reducen lo adeudado. Le rogamos nos indique cualquier diferencia con sus registros.
statement-file-name = estado-de-cuenta-{ $from }-a-{ $to }

## Unidades (Recomendación 20 de la CEPE)

unit-C62 = ud.
unit-H87 = pza.
unit-SET = juego
unit-LS = global
unit-MIN = min
unit-HUR = h
unit-DAY = día
unit-WEE = semana
unit-MON = mes
unit-ANN = año
unit-KGM = kg
unit-GRM = g
unit-TNE = t
unit-MTR = m
unit-KMT = km
unit-MTK = m²
unit-MTQ = m³
unit-LTR = l
unit-KWH = kWh
unit-E48 = servicio

## Países (CLDR)

country-AT = Austria
country-AU = Australia
country-BE = Bélgica
country-CA = Canadá
country-CH = Suiza
country-CZ = Chequia
country-DE = Alemania
country-DK = Dinamarca
country-ES = España
country-FI = Finlandia
country-FR = Francia
country-GB = Reino Unido
country-GR = Grecia
country-IE = Irlanda
country-IT = Italia
country-JP = Japón
country-LU = Luxemburgo
country-NL = Países Bajos
country-NO = Noruega
country-PL = Polonia
country-PT = Portugal
country-SE = Suecia
country-US = Estados Unidos

## Correos

email-dear = Estimado/a { $name }:
email-sent-subject = Factura { $number } de { $seller }: { $amount } con vencimiento el { $date }
email-sent-title = Factura { $number }
email-sent-body = Adjuntamos la factura { $number } por { $total }, con vencimiento el { $date }.
email-reminder-title = Recordatorio de pago
email-overdue-title = La factura { $number } está vencida
email-reminder-before-subject = Recordatorio: la factura { $number } vence en { $days ->
    [one] 1 día
   *[other] { $days } días
}
email-reminder-today-subject = Recordatorio: la factura { $number } vence hoy
email-overdue-subject = Vencida: la factura { $number } venció hace { $days ->
    [one] 1 día
   *[other] { $days } días
}
email-reminder-before-body = Le recordamos que la factura { $number } por { $amount } vence en { $days ->
    [one] 1 día
   *[other] { $days } días
}, el { $date }.
email-reminder-today-body = Le recordamos que la factura { $number } por { $amount } vence hoy.
email-overdue-body = La factura { $number } venció el { $date }, hace { $days ->
    [one] 1 día
   *[other] { $days } días
}, y quedan { $amount } pendientes. Le rogamos que realice el pago lo antes posible.
email-reminder-paid = Si ya ha pagado, gracias, y por favor ignore este mensaje.
email-receipt-subject = Pago recibido de la factura { $number }
email-receipt-title = Pago recibido
email-receipt-body = Gracias: hemos recibido su pago de { $amount } de la factura { $number }.
email-receipt-settled = La factura está pagada en su totalidad.
email-receipt-remaining = Quedan { $amount } pendientes hasta el { $date }.
email-voided-subject = La factura { $number } ha sido anulada
email-voided-body = La factura { $number } ha sido anulada y no se debe ningún pago por ella.
email-voided-reason = Motivo: { $reason }
email-credit-note-subject = Factura rectificativa { $note } de la factura { $number } de { $seller }
email-credit-note-title = Factura rectificativa { $note }
email-credit-note-body = Le adjuntamos la factura rectificativa { $note } por { $amount }, que rectifica la factura { $number }.
email-credit-note-reason = Motivo: { $reason }
email-credit-note-settled = Ya no queda nada por pagar de la factura { $number }.
email-label-credit-note = Factura rectificativa
email-label-credited = Importe rectificado
email-label-invoice = Factura
email-label-due-date = Vencimiento
email-label-total = Total
email-label-amount-due = Importe a pagar
email-questions = ¿Preguntas sobre esta factura? Responda a este correo para contactar con { $seller }.
email-sender = { $seller } a través de { $platform }
email-draft = (borrador)
email-statement-subject = Estado de cuenta de { $seller }: { $period }
email-statement-title = Estado de cuenta
email-statement-body = Adjuntamos su estado de cuenta del periodo { $period }.
email-statement-nothing = No se debía nada al inicio del periodo, y en él no se facturó, pagó ni dio por incobrable nada.
email-statement-balance = Saldo a { $date }
email-label-period = Periodo
email-statement-questions = ¿Preguntas sobre este estado de cuenta? Responda a este correo para contactar con { $seller }.
