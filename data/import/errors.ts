/**
 * An unreadable upload. `code` decides the answer: `invalid_file` (400) for a file that is not what
 * it claims or cannot be parsed, `too_large` (413) for one that would expand beyond the import's
 * limits (a zip bomb, a compressed block declaring gigabytes). Both messages are shown to the user.
 */
export type ImportFileCode = 'invalid_file' | 'too_large';

export class ImportFileError extends Error {
  constructor(readonly zh: string, readonly en: string, readonly code: ImportFileCode = 'invalid_file') {
    super(`${zh} / ${en}`);
  }
}

/** HTTP status for an ImportFileError code. */
export const importFileStatus = (code: ImportFileCode): 400 | 413 => (code === 'too_large' ? 413 : 400);
