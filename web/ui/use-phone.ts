/**
 * Phone layout switch, shared by every page that has one: true when the viewport is at most
 * {@link PHONE_MAX_WIDTH} CSS px wide (portrait phones are 360–430 px). The same breakpoint is
 * used by web/styles/phone.css, so a component and its styles agree on what "phone" means.
 */
import { useEffect, useState } from 'react';

export const PHONE_MAX_WIDTH = 600;
export const PHONE_QUERY = `(max-width: ${PHONE_MAX_WIDTH}px)`;

export function isPhoneViewport(): boolean {
  return typeof matchMedia === 'function' && matchMedia(PHONE_QUERY).matches;
}

export function usePhone(): boolean {
  const [phone, setPhone] = useState(isPhoneViewport);
  useEffect(() => {
    const mq = matchMedia(PHONE_QUERY);
    const onChange = () => setPhone(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return phone;
}
