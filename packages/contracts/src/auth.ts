import { z } from 'zod';
import { defineCommand } from './command';
import { bi, codeSchema, nameSchema, regionCodeSchema } from './common';

export const usernameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]{2,31}$/,
    bi('用户名为 3 至 32 位小写字母、数字或 _ . -', 'username: 3-32 lower-case letters, digits, _ . -'),
  );
/** At least 10 characters with letters and digits: a bureau's usual minimum. */
export const passwordSchema = z
  .string()
  .min(10)
  .max(128)
  .regex(/[A-Za-z]/, bi('密码须包含字母', 'password needs a letter'))
  .regex(/\d/, bi('密码须包含数字', 'password needs a digit'));

export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});

export const createUser = defineCommand({
  type: 'user.create',
  permission: 'system.user.manage',
  summary: { zh: '创建用户（系统管理员）', en: 'Create a user (system administrator)' },
  needsOpenYear: false,
  payload: z.strictObject({
    username: usernameSchema,
    displayName: nameSchema,
    password: passwordSchema,
    agencyCode: codeSchema.nullable().default(null),
  }),
});

export const disableUser = defineCommand({
  type: 'user.disable',
  permission: 'system.user.manage',
  summary: { zh: '停用用户', en: 'Disable a user' },
  needsOpenYear: false,
  payload: z.strictObject({ username: usernameSchema }),
});

export const grantRole = defineCommand({
  type: 'user.grantRole',
  permission: 'security.role.grant',
  summary: {
    zh: '授予角色及数据范围（安全管理员）',
    en: 'Grant a role with a data scope (security administrator)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    username: usernameSchema,
    role: z.string().regex(/^[a-zA-Z]+$/),
    /** Data scope: this region, and its descendants when includeDescendants. */
    scopeRegion: regionCodeSchema,
    includeDescendants: z.boolean().default(true),
    /** Narrow the scope to an agency subtree. */
    scopeAgency: codeSchema.nullable().default(null),
  }),
});

export const revokeRole = defineCommand({
  type: 'user.revokeRole',
  permission: 'security.role.grant',
  summary: { zh: '收回角色', en: 'Revoke a role' },
  needsOpenYear: false,
  payload: z.strictObject({
    username: usernameSchema,
    role: z.string().regex(/^[a-zA-Z]+$/),
    scopeRegion: regionCodeSchema,
  }),
});

export const authCommands = [createUser, disableUser, grantRole, revokeRole] as const;
