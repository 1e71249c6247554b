/** POST /api/import of a file's bytes as a signed-in user, and the 200 answer it must be (import tests). */
import { expect } from 'vitest';
import type { Session } from './auth.js';

type Requester = { request: (url: string, init?: RequestInit) => Response | Promise<Response> };

export function uploadAs(app: Requester, session: Session, name: string, bytes: Uint8Array, query: string) {
  const form = new FormData();
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  return app.request(`/api/import?${query}`, { method: 'POST', body: form, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
}

/** The JSON body of a response that must be 200 (the body's start is the failure message otherwise). */
export async function okJson<T>(res: Response): Promise<T> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body as T;
}
