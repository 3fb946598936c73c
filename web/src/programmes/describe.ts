/**
 * An exercise's parameters in plain words. The wording lives with the server's programmes, so the
 * printed handout (R-ENG-8) and the screens say the same thing.
 */
export {
  WEEKDAYS,
  describeDefaults,
  describeDose,
  describeFrequency,
  describeItem,
  describeSeconds,
  describeTimesPerDay,
  describeWeekdays,
} from '../../../src/programmes/describe.ts';
