/**
 * Whether this browser draws WebGL on the CPU (SwiftShader, llvmpipe, Microsoft Basic Render…):
 * a wall-screen PC without a usable GPU, or headless Chromium with `--disable-gpu`.
 *
 * There multisampling (antialias) is paid per pixel in software: on the wall screen it cost about a
 * second of CPU in the first render (docs/benchmarks.md, issue #7), so the map turns it off there
 * and keeps it wherever a GPU does the work.
 */
let cached: boolean | undefined;

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export function softwareWebGL(): boolean {
  if (cached !== undefined) return cached;
  cached = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      cached = SOFTWARE.test(renderer);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    // No WebGL at all: MapLibre reports that itself.
  }
  return cached;
}
