/**
 * A modal dialog on the native `<dialog>` element: open while mounted, focus kept inside,
 * Escape asks the owner to close (the owner's state decides, so React and the DOM agree).
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

export function Dialog({
  title,
  onClose,
  children,
  testId,
  tone = 'normal',
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  tone?: 'normal' | 'danger';
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog panel dialog-${tone}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId} className="panel-title">
          {title}
        </h2>
        <button type="button" className="detail-close" aria-label={t('common.close')} title={t('common.close')} onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
