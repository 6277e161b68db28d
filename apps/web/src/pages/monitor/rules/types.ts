import type { RuleDefinition } from '@fiscus/contracts';
import type { RuleAction, RuleLevel, RuleTrigger, WarningLevel } from './labels';

export type { RuleDefinition };

/** A parameter on the wire: money is `{ yuan }`, never a JSON number. */
export type WireParam = number | string | boolean | string[] | { yuan: string };

/** One stored version of a rule as GET /monitor/rules(/:code) returns it. */
export interface RuleVersion {
  code: string;
  version: number;
  name: string;
  theme: string;
  basis: string;
  trigger: RuleTrigger;
  scope: { regions: string[]; level: RuleLevel };
  condition: string;
  params: Record<string, WireParam>;
  warningLevel: WarningLevel;
  action: RuleAction;
  prompt: { 'zh-CN': string; en: string };
  effectiveFrom: string;
  effectiveTo?: string;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
}

/** A row of the rule list: the newest version, and how many versions the code has. */
export interface RuleRow extends RuleVersion {
  versions: number;
}

export interface RuleHistory {
  code: string;
  versions: RuleVersion[];
}
