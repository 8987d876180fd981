// Files the API serves behind the session's token (PDFs, e-invoices, CSV exports): fetched as
// a blob, held as an object URL, and handed to the browser as a download under the API's name.

import { attachmentName } from './eInvoicing';

/** A fetched file: an object URL the caller must revoke (`saveFile` does), and its name. */
export interface DownloadedFile {
  url: string;
  filename: string;
}

/** The response's body as an object URL, named by its `Content-Disposition` or `fallback`. */
export async function downloaded(response: Response, fallback: string): Promise<DownloadedFile> {
  const filename = attachmentName(response.headers.get('content-disposition'), fallback);
  return { url: URL.createObjectURL(await response.blob()), filename };
}

/** Saves the file as a download, then releases its object URL. */
export function saveFile(file: DownloadedFile): void {
  const link = document.createElement('a');
  link.href = file.url;
  link.download = file.filename;
  link.click();
  // The click has handed the file over; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(file.url), 0);
}
