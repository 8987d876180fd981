// The limits the API checks on what it is sent, read from its OpenAPI document (openapi.json,
// written by scripts/web-types from what the API serves), so that the web app checks a field
// the way the API will instead of keeping copies of its numbers. A limit the document lacks is
// an error at import: the app does not start with a guess.

import document from './openapi.json';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
type Keyword = 'minLength' | 'maxLength' | 'minItems' | 'maxItems' | 'minimum' | 'maximum';

/** The property names of an object schema. */
type PropertyOf<Schema extends keyof Schemas> = Extract<keyof Schemas[Schema], string>;
/** The query parameters of an operation. */
type QueryOf<Operation extends keyof operations> = Extract<
  keyof NonNullable<operations[Operation]['parameters']['query']>,
  string
>;

/** The number `keyword` of `node`, or an error naming where it was looked for. */
function numberAt(node: unknown, keyword: Keyword, where: string): number {
  const value = (node as Record<string, unknown> | undefined)?.[keyword];
  if (typeof value !== 'number') {
    throw new Error(`web/src/api/openapi.json has no ${keyword} at ${where}: run scripts/web-types`);
  }
  return value;
}

function propertySchema(schema: string, property: string): unknown {
  const schemas = document.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
  return schemas[schema]?.properties?.[property];
}

/** `keyword` of a property of a schema: `limit('CreateInvoice', 'client_name', 'maxLength')`. */
function limit<Schema extends keyof Schemas>(schema: Schema, property: PropertyOf<Schema>, keyword: Keyword): number {
  return numberAt(propertySchema(schema, property), keyword, `components.schemas.${schema}.properties.${property}`);
}

/** `keyword` of each element of an array property. */
function eachLimit<Schema extends keyof Schemas>(schema: Schema, property: PropertyOf<Schema>, keyword: Keyword): number {
  const items = (propertySchema(schema, property) as { items?: unknown } | undefined)?.items;
  return numberAt(items, keyword, `components.schemas.${schema}.properties.${property}.items`);
}

/** `keyword` of a query parameter of an operation (named by its `operationId`). */
function queryLimit<Operation extends keyof operations>(
  operation: Operation,
  parameter: QueryOf<Operation>,
  keyword: Keyword,
): number {
  type Spec = { operationId?: string; parameters?: { name: string; in: string; schema?: unknown }[] };
  const specs = Object.values(document.paths).flatMap((item) => Object.values(item) as Spec[]);
  const spec = specs
    .find((candidate) => candidate.operationId === operation)
    ?.parameters?.find((candidate) => candidate.name === parameter && candidate.in === 'query');
  return numberAt(spec?.schema, keyword, `the ${parameter} query parameter of ${operation}`);
}

export const LIMITS = {
  email: limit('SellerProfileFields', 'email', 'maxLength'),
  notes: limit('CreateInvoice', 'notes', 'maxLength'),
  items: limit('CreateInvoice', 'items', 'maxItems'),
  description: limit('LineItemFields', 'description', 'maxLength'),
  /** The largest amount, in minor units, of a line, an invoice's total or a payment. */
  amount: limit('LineItemFields', 'unit_amount', 'maximum'),
  reference: limit('RecordPayment', 'reference', 'maxLength'),
  voidReason: limit('VoidInvoice', 'reason', 'maxLength'),
  writeOffReason: limit('MarkUncollectible', 'reason', 'maxLength'),
  creditNoteReason: limit('IssueCreditNote', 'reason', 'maxLength'),
  passwordMin: limit('PasswordChange', 'new_password', 'minLength'),
  passwordMax: limit('PasswordChange', 'new_password', 'maxLength'),
  reminders: limit('ReplaceReminders', 'days_from_due_date', 'maxItems'),
  reminderEarliest: eachLimit('ReplaceReminders', 'days_from_due_date', 'minimum'),
  reminderLatest: eachLimit('ReplaceReminders', 'days_from_due_date', 'maximum'),
  search: queryLimit('list_invoices', 'q', 'maxLength'),
  customerName: limit('CustomerFields', 'display_name', 'maxLength'),
  customerEmails: limit('CustomerFields', 'emails', 'maxItems'),
  customerCcEmails: limit('CustomerFields', 'cc_emails', 'maxItems'),
  customerNotes: limit('CustomerFields', 'notes', 'maxLength'),
  paymentTerms: limit('CustomerFields', 'payment_terms_days', 'maximum'),
  customerSearch: queryLimit('list_customers', 'q', 'maxLength'),
  buyerReference: limit('CustomerFields', 'buyer_reference', 'maxLength'),
  electronicAddressId: limit('ElectronicAddress', 'id', 'maxLength'),
  taxRateName: limit('TaxRateFields', 'name', 'maxLength'),
  taxRateDescription: limit('TaxRateFields', 'description', 'maxLength'),
} as const;
