/**
 * A map button that brings back the whole-street view: after zooming into a building, users
 * otherwise have to find their way back by hand.
 */
import type { IControl } from 'maplibre-gl';

export class ResetViewControl implements IControl {
  private container: HTMLDivElement | null = null;
  private button: HTMLButtonElement | null = null;

  constructor(
    private readonly onReset: () => void,
    private title: string,
  ) {}

  onAdd(): HTMLElement {
    const container = document.createElement('div');
    container.className = 'maplibregl-ctrl maplibregl-ctrl-group';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'gridatlas-reset-view';
    button.dataset.testid = 'reset-view';
    button.title = this.title;
    button.setAttribute('aria-label', this.title);
    button.innerHTML =
      '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M3 7V3h4M13 3h4v4M17 13v4h-4M7 17H3v-4" fill="none" stroke="currentColor" stroke-width="1.8"/><rect x="7" y="7" width="6" height="6" fill="currentColor" opacity="0.8"/></svg>';
    button.addEventListener('click', () => this.onReset());
    container.appendChild(button);
    this.container = container;
    this.button = button;
    return container;
  }

  onRemove(): void {
    this.container?.remove();
    this.container = null;
    this.button = null;
  }

  setTitle(title: string) {
    this.title = title;
    if (this.button) {
      this.button.title = title;
      this.button.setAttribute('aria-label', title);
    }
  }
}
