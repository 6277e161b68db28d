import '@tanstack/react-query';

/** `meta.silent`: the caller shows the error itself; the global handler stays quiet. */
interface FiscusMeta extends Record<string, unknown> {
  silent?: boolean;
}

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: FiscusMeta;
    mutationMeta: FiscusMeta;
  }
}
