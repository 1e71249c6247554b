/** A framed data-screen panel: glowing cyan corners, a title bar, and the content. */
import type { ReactNode } from 'react';

export function Panel(props: { id: string; title: string; className?: string; children: ReactNode; extra?: ReactNode }) {
  return (
    <section className={`sp ${props.className ?? ''}`} data-testid={`panel-${props.id}`} data-panel={props.id}>
      <i className="sp-corner tl" />
      <i className="sp-corner tr" />
      <i className="sp-corner bl" />
      <i className="sp-corner br" />
      <header className="sp-title">
        <span className="sp-title-mark" />
        <h2>{props.title}</h2>
        {props.extra && <div className="sp-title-extra">{props.extra}</div>}
      </header>
      <div className="sp-body">{props.children}</div>
    </section>
  );
}
