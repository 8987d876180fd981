// The logo's limits, the API's (workflows/src/domain/logo.rs: at most 512 KiB, 2000 × 2000
// pixels, PNG or JPEG by its own bytes), checked before the upload so that a person hears at
// once what is wrong with the file.

export const MAX_LOGO_BYTES = 512 * 1024;
export const MAX_LOGO_PIXELS = 2000;
export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;

/** The image's format by its first bytes (its signature), or `null`. */
export function logoFormat(head: Uint8Array): 'image/png' | 'image/jpeg' | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((byte, index) => head[index] === byte)) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  return null;
}

/** What is wrong with `file` as a logo, or `null` when the API should take it. */
export async function checkLogo(file: File): Promise<string | null> {
  if (file.size > MAX_LOGO_BYTES) return `The file is ${Math.ceil(file.size / 1024)} KiB; a logo may have at most ${MAX_LOGO_BYTES / 1024} KiB.`;
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const format = logoFormat(head);
  if (!format) return 'The file is not a PNG or JPEG image.';
  const size = await imageSize(file);
  if (size && (size.width > MAX_LOGO_PIXELS || size.height > MAX_LOGO_PIXELS)) {
    return `The image is ${size.width} × ${size.height} pixels; at most ${MAX_LOGO_PIXELS} × ${MAX_LOGO_PIXELS}.`;
  }
  return null;
}

/** The image's dimensions as the browser decodes it; `null` where it cannot say. */
async function imageSize(file: File): Promise<{ width: number; height: number } | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}
