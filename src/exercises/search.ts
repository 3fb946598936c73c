import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { likeLiteral } from '../platform/db/search.ts';
import { BODY_REGIONS, EQUIPMENT } from './catalogue.ts';

/**
 * R-EXE-1: searching the exercise library, best matches first. An exercise is found by its name,
 * its body region or equipment (their values or the labels people read), or the words of its
 * description and steps; it ranks by where the words were found:
 *
 *   0 the name is the search, 1 the name starts with it, 2 a word of the name starts with it,
 *   3 the name contains it, 4 its body region or equipment is named, 5 its description or steps
 *   contain it.
 *
 * Ties are broken by name by the caller. Everything is SQL, so the database sorts and pages.
 */

/** Lower-cased, every run of spaces and punctuation between words made one space, and a space in front: each word follows a space. */
function words(text: string): string {
  return ` ${text.toLowerCase().replace(/[-/(),._\s]+/g, ' ')}`;
}

/** The same as `words`, in SQL. */
function wordsOf(expression: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(' ' || regexp_replace(lower(${expression}), '[-/(),._[:space:]]+', ' ', 'g'))`;
}

export interface ExerciseSearch {
  /** The exercise is found at all. */
  matches: RawBuilder<SqlBool>;
  /** Its rank (0 best); only meaningful for exercises that match. */
  rank: RawBuilder<number>;
}

export function exerciseSearch(search: string): ExerciseSearch {
  const raw = search.trim().toLowerCase();
  const literal = likeLiteral(raw);
  const contains = `%${literal}%`;
  // The search as the start of a word ("band" in "Resistance band", "stand" in "Sit-to-stand").
  const term = words(raw.trim());
  const hasWords = term.trim() !== '';
  const wordStart = `%${likeLiteral(term)}%`;
  const named = (labels: ReadonlyArray<{ value: string; label: string }>) =>
    hasWords ? labels.filter((l) => words(l.label).includes(term) || words(l.value).includes(term)).map((l) => l.value) : [];
  const regions = named(BODY_REGIONS);
  const equipment = named(EQUIPMENT);
  const startsAWord = (expression: RawBuilder<unknown>) => (hasWords ? sql<SqlBool>`${wordsOf(expression)} like ${wordStart}` : sql<SqlBool>`false`);

  const name = sql.ref('exercises.name');
  const exact = sql<SqlBool>`lower(${name}) = ${raw}`;
  const prefix = sql<SqlBool>`lower(${name}) like ${`${literal}%`}`;
  const word = startsAWord(name);
  const inName = sql<SqlBool>`lower(${name}) like ${contains}`;
  // A custom exercise's region and equipment are free text: they match by their words too.
  const region = sql<SqlBool>`(${startsAWord(sql.ref('exercises.body_region'))}${regions.length > 0 ? sql` or exercises.body_region in (${sql.join(regions)})` : sql``})`;
  const equip = sql<SqlBool>`(exists (select 1 from unnest(exercises.equipment) as item(value) where ${startsAWord(sql.ref('item.value'))})${
    equipment.length > 0 ? sql` or exercises.equipment && array[${sql.join(equipment)}]::text[]` : sql``
  })`;
  const text = sql<SqlBool>`(lower(exercises.description) like ${contains} or lower(array_to_string(exercises.steps, ' ')) like ${contains})`;

  return {
    matches: sql<SqlBool>`(${word} or ${inName} or ${region} or ${equip} or ${text})`,
    rank: sql<number>`(case when ${exact} then 0 when ${prefix} then 1 when ${word} then 2 when ${inName} then 3 when ${region} or ${equip} then 4 else 5 end)`,
  };
}
