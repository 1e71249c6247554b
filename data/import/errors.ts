/** An unreadable upload: the route answers 400 invalid_file with both messages. */
export class ImportFileError extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(`${zh} / ${en}`);
  }
}
