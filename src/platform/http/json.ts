import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { ValidationError } from '../errors.ts';

/**
 * How deeply a JSON body may nest arrays and objects. The deepest legitimate body is a draft (its
 * data may nest 32 levels, DRAFT_MAX_DEPTH, inside a body two levels deep); nothing needs more.
 */
export const JSON_MAX_DEPTH = 64;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

interface Level {
  object: boolean;
  /** In an object: the key of the value being read (null between a comma and the next key). */
  key: string | null;
  /** In an array: the position of the value being read. */
  index: number;
}

/**
 * Where a JSON text nests arrays and objects deeper than `maxDepth`: the path of keys (and the
 * array positions between them) down to that point, or null when it does not. One pass over the
 * text, without parsing it, so that a body of a million brackets costs milliseconds rather than a
 * parse and a walk of a million levels (SPEC §12). Text that is not JSON may give any answer here;
 * JSON.parse refuses it afterwards.
 */
export function tooDeepAt(text: string, maxDepth = JSON_MAX_DEPTH): string[] | null {
  const levels: Level[] = [];
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      while (end < length) {
        const d = text.charCodeAt(end);
        if (d === BACKSLASH) end += 2;
        else if (d === QUOTE) break;
        else end += 1;
      }
      const top = levels[levels.length - 1];
      if (top?.object && top.key === null) top.key = keyOf(text.slice(i, end + 1));
      i = end;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (levels.length >= maxDepth) return pathOf(levels);
      levels.push({ object: c === OPEN_OBJECT, key: null, index: 0 });
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      levels.pop();
    } else if (c === COMMA) {
      const top = levels[levels.length - 1];
      if (top?.object) top.key = null;
      else if (top) top.index += 1;
    }
  }
  return null;
}

function keyOf(quoted: string): string {
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  try {
    return String(JSON.parse(quoted));
  } catch {
    return quoted.slice(1, -1);
  }
}

/** The keys down to the too-deep value, with the array positions between them (not those after the last key). */
function pathOf(levels: Level[]): string[] {
  const path = levels.map((level) => (level.object ? (level.key ?? '') : String(level.index)));
  let lastKey = -1;
  levels.forEach((level, i) => {
    if (level.object) lastKey = i;
  });
  return path.slice(0, lastKey + 1);
}

/**
 * The app's parser of JSON bodies: Fastify's own (which refuses `__proto__` and `constructor`
 * pollution), after a bound on nesting that answers 400 naming the field before anything is parsed.
 */
export function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  const bounded: FastifyBodyParser<string> = (request, body, done) => {
    const deep = tooDeepAt(body);
    if (deep) {
      done(ValidationError.field(['body', ...deep].join('.'), 'too_deep', `Values may be nested at most ${JSON_MAX_DEPTH} levels deep.`), undefined);
      return;
    }
    parse(request, body, done);
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, bounded);
}
