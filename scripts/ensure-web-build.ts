/** `npm start` step 1: build the web app if it is missing or stale. */
import { ensureWebBuild } from './web-build.js';

ensureWebBuild();
