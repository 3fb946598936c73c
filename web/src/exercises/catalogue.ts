/**
 * The vocabulary of the exercise library (body regions, equipment, kinds) with the labels people
 * read. One definition, shared with the server (src/exercises/catalogue.ts holds only plain data):
 * the values are what the API filters on and returns.
 */
import { BODY_REGIONS, EQUIPMENT, EXERCISE_KINDS } from '../../../src/exercises/catalogue.ts';

export { BODY_REGIONS, EQUIPMENT, EXERCISE_KINDS };

function labelIn(list: readonly { value: string; label: string }[], value: string): string {
  return list.find((item) => item.value === value)?.label ?? value.replace(/_/g, ' ');
}

export function regionLabel(value: string): string {
  return labelIn(BODY_REGIONS, value);
}

export function equipmentLabel(value: string): string {
  return labelIn(EQUIPMENT, value);
}

export function kindLabel(value: string): string {
  return labelIn(EXERCISE_KINDS, value);
}

/** "No equipment", or the things needed: "Chair, Resistance band". */
export function equipmentSummary(equipment: readonly string[]): string {
  const needed = equipment.filter((item) => item !== 'none');
  return needed.length === 0 ? 'No equipment' : needed.map(equipmentLabel).join(', ');
}
