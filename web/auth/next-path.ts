/**
 * Where the login page may send the user afterwards: only a path on this origin. Anything else
 * (`//evil.example`, `/\evil.example`, `https://…`, `javascript:`) falls back to the map, so a
 * crafted `/login?next=` link cannot bounce a fresh session to another site.
 */
const NOT_AFTER_LOGIN = [/^\/login\/?$/, /^\/kiosk\//, /^\/api\//, /^\/tiles\//];

export function safeNextPath(raw: string | null | undefined, origin: string): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  if (NOT_AFTER_LOGIN.some((re) => re.test(url.pathname))) return '/';
  return url.pathname + url.search + url.hash;
}

/** `/login?next=<this page>` for a "sign in" link or a redirect from a protected page. */
export function loginHref(loc: { pathname: string; search: string; hash?: string } = location): string {
  const here = loc.pathname + loc.search + (loc.hash ?? '');
  return here === '/' || /^\/login\/?$/.test(loc.pathname) ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
