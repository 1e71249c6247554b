import { describe, expect, it } from 'vitest';
import { localMessage } from './server-message';

describe('localMessage', () => {
  it('picks the half of a bilingual server message for the language', () => {
    const m = '用户名或密码错误 / wrong username or password';
    expect(localMessage(m, 'zh-CN')).toBe('用户名或密码错误');
    expect(localMessage(m, 'en')).toBe('wrong username or password');
  });

  it('shows other messages unchanged', () => {
    expect(localMessage('HTTP 502', 'zh-CN')).toBe('HTTP 502');
    expect(localMessage('a / b / c', 'en')).toBe('a / b / c');
    expect(localMessage('/api/x: HTTP 500', 'zh-CN')).toBe('/api/x: HTTP 500');
  });
});
