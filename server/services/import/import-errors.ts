/** A request the importer refuses as asked (crs_required, invalid_mapping, out_of_scope …), with why. */
export class ImportRequestError extends Error {
  constructor(readonly code: string, readonly zh: string, readonly en: string, readonly detail?: unknown) {
    super(`${zh} / ${en}`);
  }
}
