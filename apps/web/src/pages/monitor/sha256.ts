/** SHA-256 of a file's bytes, as 64 lower-case hex digits (crypto.subtle; secure contexts and localhost). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
