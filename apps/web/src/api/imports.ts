import { type Query, request } from './client';
import type { ImportReport } from './types';

/** Post a file's raw bytes to a list's import endpoint. */
export async function postImport(
  key: string,
  file: File,
  query: Query,
  dryRun: boolean,
): Promise<ImportReport> {
  const bytes = await file.arrayBuffer();
  return request<ImportReport>('POST', `/${key}/imports`, {
    query: { ...query, dryRun },
    body: bytes,
    // Header values must be ISO-8859-1, so a Chinese file name travels percent-encoded.
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
  });
}
