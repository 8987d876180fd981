import { afterEach, describe, expect, it, vi } from 'vitest';
import document from './openapi.json';
import { LIMITS } from './limits';

type Document = typeof document;

afterEach(() => {
  vi.doUnmock('./openapi.json');
  vi.resetModules();
});

/** `./limits` as it loads with `change` made to a copy of the document. */
async function limitsWith(change: (copy: Document) => void) {
  vi.resetModules();
  vi.doMock('./openapi.json', () => {
    const copy = structuredClone(document);
    change(copy);
    return { default: copy };
  });
  return import('./limits');
}

describe("the API's limits", () => {
  it('are read from its document', async () => {
    const { LIMITS: changed } = await limitsWith((copy) => {
      copy.components.schemas.VoidInvoice.properties.reason.maxLength = 7;
    });
    expect(changed.voidReason).toBe(7);
    expect(LIMITS.voidReason).toBe(document.components.schemas.VoidInvoice.properties.reason.maxLength);
    const search = document.paths['/api/invoices'].get.parameters.find((parameter) => parameter.name === 'q');
    expect(LIMITS.search).toBe(search?.schema.maxLength);
  });

  it('fail loudly when the document lacks one', async () => {
    const missing = limitsWith((copy) => {
      const reason: { maxLength?: number } = copy.components.schemas.VoidInvoice.properties.reason;
      delete reason.maxLength;
    });
    await expect(missing).rejects.toThrow(
      'web/src/api/openapi.json has no maxLength at components.schemas.VoidInvoice.properties.reason: run scripts/web-types',
    );
  });
});
