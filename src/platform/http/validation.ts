import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';
import { MAX_REPORTED_ISSUES, ValidationError, type FieldIssue } from '../errors.ts';

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Validates each part of a request against its zod schema and reports every problem with its full
 * path ("body.practice.phone"), so that the caller learns which field broke which rule. However many
 * problems a body has, the answer lists at most MAX_REPORTED_ISSUES of them and counts the rest
 * (ValidationError), so a body of 60,000 unknown keys gets a short answer.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema, httpPart }) => {
  const part = PART_NAMES[httpPart ?? 'body'] ?? String(httpPart);
  return (data: unknown) => {
    const result = schema.safeParse(data);
    const text = textIssues(data, part);
    if (result.success && text.found === 0) return { value: result.data };
    if (result.success) return { error: new ValidationError(text.issues, undefined, text.found) };
    const issues: FieldIssue[] = [];
    let found = 0;
    const add = (issue: () => FieldIssue) => {
      found += 1;
      if (issues.length < MAX_REPORTED_ISSUES) issues.push(issue());
    };
    for (const issue of result.error.issues) {
      const base = [part, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) add(() => ({ path: `${base}.${key}`, code: 'unknown_field', message: 'Unknown field.' }));
      } else {
        add(() => ({ path: base, code: issue.code, message: issue.message }));
      }
    }
    for (const issue of text.issues) if (!issues.some((i) => i.path === issue.path)) add(() => issue);
    // Text problems past the listed ones are counted, not listed.
    return { error: new ValidationError(issues, undefined, found + text.found - text.issues.length) };
  };
};

/**
 * Text the database would not keep as it was sent, refused here with its path rather than failing
 * or changing later: U+0000, which PostgreSQL text and jsonb cannot hold, and an unpaired UTF-16
 * surrogate (a "\uD800" escape with no partner), which becomes U+FFFD on the way to the database
 * so that the stored name differs from the one sent (SPEC §12: nothing is silently changed). Every
 * string and key of every body, query and path is checked, so names, titles and free text of every
 * route are covered alike. Walks without recursion: the input may be nested deeply.
 */
function textIssues(data: unknown, part: string): { issues: FieldIssue[]; found: number } {
  const issues: FieldIssue[] = [];
  let found = 0;
  // Paths are kept as links to their parent and spelled out only for a problem found, so a wide
  // body costs one small object per value rather than one string per value.
  const report = (at: PathLink, text: string) => {
    const problem = textProblem(text);
    if (!problem) return false;
    found += 1;
    if (issues.length < MAX_REPORTED_ISSUES) issues.push({ path: spell(at), ...problem });
    return true;
  };
  const pending: [unknown, PathLink][] = [[data, { key: part, parent: null }]];
  while (pending.length > 0) {
    const [value, at] = pending.pop()!;
    if (typeof value === 'string') {
      report(at, value);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const link = { key, parent: at };
        if (!report(link, key)) pending.push([child, link]);
      }
    }
  }
  return { issues, found };
}

interface PathLink {
  key: string;
  parent: PathLink | null;
}

function spell(link: PathLink): string {
  const keys: string[] = [];
  for (let at: PathLink | null = link; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

function textProblem(text: string): { code: string; message: string } | null {
  if (text.includes('\u0000')) return { code: 'invalid_character', message: 'Remove the null character (U+0000).' };
  if (!text.isWellFormed()) return { code: 'invalid_character', message: 'The text holds a broken character (an unpaired UTF-16 surrogate); type it again.' };
  return null;
}
