/** One problem of an imported spreadsheet, named by the row and column the user sees. */
export interface ImportError {
  row: number;
  column: string | null;
  code: string;
  message: { 'zh-CN': string; en: string };
}

/** The answer to an import or its preview (dryRun). */
export interface ImportReport {
  dryRun: boolean;
  ok: boolean;
  total: number;
  /** Rows whose command was accepted (and committed unless dryRun). */
  imported: number;
  /** Rows already imported by the same file earlier: nothing changed for them. */
  unchanged: number;
  errors: ImportError[];
}
