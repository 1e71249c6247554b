/**
 * The server writes every error message as "中文 / English". The UI shows the half that matches
 * the current language; a message of another shape is shown as it is.
 */
import type { Lang } from './i18n';

const CJK = /[\u3400-\u9fff]/;

export function localMessage(message: string, lang: Lang): string {
  const parts = message.split(' / ');
  if (parts.length !== 2 || !CJK.test(parts[0]) || CJK.test(parts[1])) return message;
  return (lang === 'en' ? parts[1] : parts[0]).trim();
}
