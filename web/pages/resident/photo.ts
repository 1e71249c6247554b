/**
 * Photos taken on a phone are several MB; the server takes at most 200 KB (JPEG or PNG). The
 * picture is drawn smaller on a canvas and encoded as JPEG, lowering the size and quality step by
 * step until it fits — on the phone, before anything is uploaded.
 */
export const PHOTO_MAX_BYTES = 200 * 1024;

/** Bytes of a base64 data URL's content. */
const dataUrlBytes = (url: string) => Math.floor(((url.length - url.indexOf(',') - 1) * 3) / 4);

async function loadImage(file: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A JPEG data URL of `file` no larger than `maxBytes` (throws when the file is not an image). */
export async function shrinkPhoto(file: Blob, maxBytes = PHOTO_MAX_BYTES - 8 * 1024): Promise<string> {
  const img = await loadImage(file);
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  for (const side of [1280, 1024, 800, 640, 480, 320]) {
    const scale = Math.min(1, side / Math.max(img.naturalWidth, img.naturalHeight));
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.82, 0.7, 0.55]) {
      const url = canvas.toDataURL('image/jpeg', quality);
      if (dataUrlBytes(url) <= maxBytes) return url;
    }
  }
  throw new Error('photo too large even when shrunk');
}
