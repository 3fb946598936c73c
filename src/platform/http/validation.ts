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
    const nul = nulCharacterIssues(data, part);
    if (result.success && nul.length === 0) return { value: result.data };
    if (result.success) return { error: new ValidationError(nul) };
    const issues: FieldIssue[] = result.error.issues.flatMap((issue) => {
      const base = [part, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: `${base}.${key}`, code: 'unknown_field', message: 'Unknown field.' }));
      }
      return [{ path: base, code: issue.code, message: issue.message }];
    });
    return { error: new ValidationError([...issues, ...nul.filter((n) => !issues.some((i) => i.path === n.path))]) };
  };
};

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a string or key containing it is refused here,
 * with its path, rather than failing later in the database. Walks without recursion: the input may
 * be nested very deeply.
 */
function nulCharacterIssues(data: unknown, part: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pending: [unknown, string][] = [[data, part]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push({ path, code: 'invalid_character', message: 'Remove the null character (U+0000).' });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) issues.push({ path: `${path}.${key}`, code: 'invalid_character', message: 'Remove the null character (U+0000).' });
        else pending.push([child, `${path}.${key}`]);
      }
    }
  }
  return issues;
}
