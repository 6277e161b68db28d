import {
  BILINGUAL_SEPARATOR,
  type ErrorBody,
  type ErrorCode,
  errorBody,
  type FieldIssue,
} from '@fiscus/contracts';
import { z } from 'zod';

const zhLocale = z.locales.zhCN().localeError;

function split(message: string): { zh: string; en: string } | null {
  const i = message.indexOf(BILINGUAL_SEPARATOR);
  return i < 0 ? null : { zh: message.slice(0, i), en: message.slice(i + 1) };
}

/**
 * Field issues in both languages: the schema's own bilingual messages where it has them, else
 * zod's English and Chinese locale messages (the failed input is parsed once more in Chinese).
 */
export function zodIssues(schema: z.ZodType, input: unknown, error: z.ZodError): FieldIssue[] {
  const zh = schema.safeParse(input, { error: zhLocale });
  const zhIssues = zh.success ? [] : zh.error.issues;
  return error.issues.map((i, k) => {
    const own = split(i.message);
    const zhMessage = zhIssues[k]?.message ?? i.message;
    return {
      path: i.path.map(String).join('.'),
      code: i.code,
      message: own?.en ?? i.message,
      messageZh: own?.zh ?? split(zhMessage)?.zh ?? zhMessage,
    };
  });
}

function summary(issues: readonly FieldIssue[], zh: boolean): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const m = zh ? i.messageZh : i.message;
      return i.path ? `${i.path}: ${m}` : m;
    })
    .join('; ');
}

/** A refusal carrying field issues, with the detail written in each language. */
export function issuesError(code: ErrorCode, issues: FieldIssue[]): ErrorBody {
  return errorBody(code, { detail: summary(issues, false) }, issues, { detail: summary(issues, true) });
}
