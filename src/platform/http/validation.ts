import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.ts';

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Validates each part of a request against its zod schema and reports every problem with its full
 * path ("body.practice.phone"), so that the caller learns which field broke which rule.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema, httpPart }) => {
  const part = PART_NAMES[httpPart ?? 'body'] ?? String(httpPart);
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issues: FieldIssue[] = result.error.issues.flatMap((issue) => {
      const base = [part, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: `${base}.${key}`, code: 'unknown_field', message: 'Unknown field.' }));
      }
      return [{ path: base, code: issue.code, message: issue.message }];
    });
    return { error: new ValidationError(issues) };
  };
};
