/**
 * Password policy for every path that sets a password (change-password API, `npm run user`,
 * GRIDATLAS_ADMIN_PASSWORD, accounts created by an admin): at least 10 characters, not containing
 * the username, and a zxcvbn-ts score of at least 3 ("safely unguessable") — a maintained estimator
 * of real cracking cost (common passwords, dictionary words, keyboard walks, dates, l33t) instead
 * of a hand-made character-class rule that `password12` passes.
 *
 * The dictionaries are large: they are imported on first use and built once per process.
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const MIN_LENGTH = 10;
export const MAX_LENGTH = 200;
/** zxcvbn score 0–4; 3 means about 10^8 guesses or more (an offline attack on a slow hash). */
export const MIN_SCORE = 3;
/** Words any guesser of a GridAtlas password tries first; they count as known to the attacker. */
const PRODUCT_WORDS = ['gridatlas', 'grid', 'atlas', 'wangge', 'shequ', '社区网格地图', 'admin', 'community'];

let estimator: Promise<ZxcvbnFactory> | undefined;

/** The zxcvbn-ts estimator, built on first call and shared afterwards. */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return estimator;
}

export interface PasswordOwner {
  username: string;
  displayName?: string | null;
}

export interface PasswordProblem {
  code: 'weak_password';
  zh: string;
  en: string;
}

const problem = (zh: string, en: string): PasswordProblem => ({ code: 'weak_password', zh, en });

/** Why `password` may not be used by `owner`, or null when it is acceptable. */
export async function passwordProblem(password: string, owner: PasswordOwner): Promise<PasswordProblem | null> {
  if (password.length < MIN_LENGTH) return problem(`密码至少 ${MIN_LENGTH} 个字符`, `Password must have at least ${MIN_LENGTH} characters`);
  if (password.length > MAX_LENGTH) return problem('密码过长', 'Password too long');
  const lower = password.toLowerCase();
  if (owner.username && lower.includes(owner.username.toLowerCase())) {
    return problem('密码不能包含用户名', 'Password must not contain the username');
  }
  const inputs = [owner.username, owner.displayName ?? '', ...PRODUCT_WORDS].filter(Boolean);
  const result = (await loadEstimator()).check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  const hint = result.feedback.warning ? ` (${result.feedback.warning})` : '';
  return problem(
    '密码太容易被猜到：请使用更长、更不常见的密码，例如几个无关词语加数字和符号',
    `Password is too easy to guess${hint}: use a longer, less common one, e.g. several unrelated words with digits and symbols`,
  );
}

/** Throws an Error with the bilingual reason when the password is refused (CLI and first start). */
export async function assertStrongPassword(password: string, owner: PasswordOwner): Promise<void> {
  const p = await passwordProblem(password, owner);
  if (p) throw new Error(`${p.zh} / ${p.en}`);
}
