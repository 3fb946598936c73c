import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface TableQuery {
  /** Path under src/, with forward slashes. */
  file: string;
  line: number;
  table: string;
  how: string;
}

/** Kysely calls whose first argument names a table ('patients' or 'patients as p'). */
const BUILDER_CALLS = new Set(['selectFrom', 'updateTable', 'insertInto', 'deleteFrom', 'mergeInto', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral']);
/** Tables named in raw SQL: after from, join, into, update, or a merge. */
const SQL_TABLE = /\b(?:from|join|into|update|merge\s+into)\s+([a-z_][a-z0-9_]*)/gi;

/**
 * Every place in a source text that queries one of `tables`: Kysely builder calls and raw `sql`
 * templates, read from the syntax tree (so comments and ordinary strings are not mistaken for
 * queries).
 */
export function tableQueries(file: string, text: string, tables: ReadonlySet<string>): TableQuery[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: TableQuery[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      const first = node.arguments[0];
      if (BUILDER_CALLS.has(name) && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        const table = first.text.trim().split(/\s+/)[0]!;
        if (tables.has(table)) found.push({ file, line: lineOf(node), table, how: name });
      }
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source).replace(/<.*$/s, '').endsWith('sql')) {
      const template = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(template) ? [template.text] : [template.head.text, ...template.templateSpans.map((s) => s.literal.text)];
      for (const part of parts) {
        for (const m of part.matchAll(SQL_TABLE)) {
          const table = m[1]!.toLowerCase();
          if (tables.has(table)) found.push({ file, line: lineOf(node), table, how: 'sql' });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The TypeScript files under `dir` (relative paths with forward slashes), tests left out. */
export function sourceFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}
