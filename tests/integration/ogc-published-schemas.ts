/**
 * The published OpenAPI 3.0 schemas of OGC API – Features Part 1 Core 1.0.1 (tests/ogc-schemas,
 * copied unchanged from the OGC repository) compiled with ajv, so responses are checked against the
 * standard's own text rather than a paraphrase of it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const DIR = fileURLToPath(new URL('../ogc-schemas/', import.meta.url));
/** Each file's `$id`: relative `$ref`s such as `link.yaml` resolve against it, as in the repository. */
const BASE = 'https://github.com/opengeospatial/ogcapi-features/blob/1.0.1/core/openapi/';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const file of readdirSync(`${DIR}schemas`)) {
  ajv.addSchema({ ...parse(readFileSync(`${DIR}schemas/${file}`, 'utf8')), $id: `${BASE}schemas/${file}` });
}

export type SchemaName = 'landingPage' | 'confClasses' | 'collections' | 'collection' | 'featureCollectionGeoJSON' | 'featureGeoJSON' | 'exception';

/** The validation errors of `doc` against a published schema (empty when it conforms). */
export function schemaErrors(name: SchemaName, doc: unknown): ErrorObject[] {
  const validate = ajv.getSchema(`${BASE}schemas/${name}.yaml`);
  if (!validate) throw new Error(`schema ${name} not loaded`);
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

/** A published parameter definition (parameters/<name>.yaml). */
export function publishedParameter(name: 'bbox' | 'limit' | 'datetime' | 'collectionId' | 'featureId') {
  return parse(readFileSync(`${DIR}parameters/${name}.yaml`, 'utf8')) as { name: string; in: string; schema: Record<string, unknown> };
}
