/// <reference types="vite/client" />
/**
 * Vite's client types let the web app import assets as URLs (`?url`) and CSS for side effects.
 * The root tsconfig only loads Node types, so the web folder opts in here.
 */
