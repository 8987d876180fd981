// Settings → Logo: the image printed in the invoice's header. Checked here for type, size and
// dimensions with the API's limits, previewed, replaced or removed.

import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { fetchLogo, useDeleteLogo, useSeller, useUploadLogo } from '../../api/queries';
import { ErrorPanel } from '../../components/feedback';
import { Button, Card } from '../../components/ui';
import { formatInstant } from '../../lib/dates';
import { checkLogo, MAX_LOGO_BYTES, MAX_LOGO_PIXELS } from '../../lib/logo';

export function LogoSettings() {
  const seller = useSeller();
  const logo = seller.data?.logo ?? null;
  const upload = useUploadLogo();
  const remove = useDeleteLogo();
  const inputId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);

  // The stored image, fetched with the session's token (an <img> could not send it).
  useEffect(() => {
    if (!logo) return setUrl(null);
    let current: string | null = null;
    let cancelled = false;
    fetchLogo()
      .then((fresh) => {
        if (cancelled) URL.revokeObjectURL(fresh);
        else setUrl((current = fresh));
      })
      .catch(() => setUrl(null));
    return () => {
      cancelled = true;
      if (current) URL.revokeObjectURL(current);
    };
  }, [logo?.uploaded_at]);

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setProblem(null);
    const wrong = await checkLogo(file);
    if (wrong) return setProblem(wrong);
    upload.mutate(file);
  };

  return (
    <Card title="Logo">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <div className="flex h-24 w-48 shrink-0 items-center justify-center rounded-lg border border-dashed border-slate-300 bg-slate-50">
          {url ? <img src={url} alt="Your logo" className="max-h-20 max-w-44 object-contain" /> : <span className="text-xs text-slate-500">No logo</span>}
        </div>
        <div className="space-y-2 text-sm">
          <p className="text-slate-600">
            PNG or JPEG, at most {MAX_LOGO_BYTES / 1024} KiB and {MAX_LOGO_PIXELS} × {MAX_LOGO_PIXELS} pixels. Printed at the top of your invoices.
          </p>
          {logo && (
            <p className="text-xs text-slate-500">
              {logo.width} × {logo.height} px · {Math.ceil(logo.size_bytes / 1024)} KiB · uploaded {formatInstant(logo.uploaded_at)}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <label
              htmlFor={inputId}
              className="inline-flex cursor-pointer items-center rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-within:outline focus-within:outline-2 focus-within:outline-brand-600"
            >
              {logo ? 'Replace logo' : 'Upload logo'}
              <input id={inputId} type="file" accept="image/png,image/jpeg" className="sr-only" onChange={(event) => void choose(event)} />
            </label>
            {logo && <Button variant="ghost" className="text-red-700 hover:bg-red-50" busy={remove.isPending} onClick={() => remove.mutate()}>Remove logo</Button>}
          </div>
          {upload.isPending && <p role="status" className="text-slate-600">Uploading…</p>}
          {problem && <p role="alert" className="text-red-700">{problem}</p>}
          {upload.isError && <ErrorPanel error={upload.error} />}
          {remove.isError && <ErrorPanel error={remove.error} />}
        </div>
      </div>
    </Card>
  );
}
