/**
 * Request categories (with their time limits) and departments, from
 * data/standards/request-categories.json — checked once when the module loads.
 */
import { z } from 'zod';
import json from '../../data/standards/request-categories.json' with { type: 'json' };
import { ESCALATION_LEVELS } from '../../geo/requests/lifecycle.js';

const fileSchema = z.object({
  categories: z
    .array(z.object({
      code: z.string().regex(/^[a-z_]+$/),
      name: z.string().min(1),
      nameEn: z.string().min(1),
      limitHours: z.number().positive().max(24 * 60),
      color: z.string().regex(/^#[0-9a-f]{6}$/i),
      sort: z.number().int(),
    }))
    .min(1),
  departments: z.array(z.object({
    code: z.string().regex(/^[a-z_]+$/),
    name: z.string().min(1),
    nameEn: z.string().min(1),
    level: z.enum(ESCALATION_LEVELS).exclude(['grid']),
  })),
});

const parsed = fileSchema.parse(json);

export type RequestCategory = (typeof parsed.categories)[number];
export type Department = (typeof parsed.departments)[number];

export const REQUEST_CATEGORIES: readonly RequestCategory[] = [...parsed.categories].sort((a, b) => a.sort - b.sort);
export const DEPARTMENTS: readonly Department[] = parsed.departments;
export const CATEGORY_CODES = REQUEST_CATEGORIES.map((c) => c.code) as [string, ...string[]];
export const DEPARTMENT_CODES = DEPARTMENTS.map((d) => d.code) as [string, ...string[]];

export function category(code: string): RequestCategory {
  const c = REQUEST_CATEGORIES.find((x) => x.code === code);
  if (!c) throw new Error(`unknown request category ${code}`);
  return c;
}

export function department(code: string): Department | undefined {
  return DEPARTMENTS.find((d) => d.code === code);
}
