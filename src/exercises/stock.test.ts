import { describe, expect, it } from 'vitest';
import type { Prop } from './pose.ts';
import { BODY_REGIONS, EQUIPMENT, EXERCISE_KINDS, STOCK_EXERCISES, type Equipment } from './stock.ts';

/**
 * Slugs identify stock exercises in every installation's database and in saved programmes, so a
 * slug that has shipped must never disappear or change. New exercises may be added freely; this
 * list only ever grows.
 */
const SHIPPED_SLUGS = `
  chin-tuck chin-nod-lying chin-tuck-against-wall neck-rotation neck-side-bend
  neck-nod-forward-and-back upper-trapezius-stretch levator-scapulae-stretch
  head-lift-with-chin-tuck isometric-neck-flexion isometric-neck-side-bend
  isometric-neck-extension prone-head-lift four-point-neck-nod pendulum
  table-slide-shoulder-flexion lying-arm-raise band-external-rotation band-internal-rotation
  wall-slide side-arm-raise-dumbbells front-arm-raise-dumbbell cross-body-shoulder-stretch
  doorway-chest-stretch band-shoulder-extension isometric-external-rotation-wall
  side-lying-external-rotation wall-push-up-plus overhead-press-dumbbells finger-walk-up-wall
  towel-stretch-behind-back elbow-bend-and-straighten biceps-curl-dumbbell biceps-curl-band
  overhead-triceps-extension triceps-kickback forearm-turning forearm-turning-weight
  biceps-stretch-wall overhead-triceps-stretch lying-triceps-extension isometric-elbow-bend
  hammer-curl-seated wrist-flexor-stretch wrist-extensor-stretch wrist-curl-dumbbell
  reverse-wrist-curl-dumbbell wrist-lift-thumb-up wrist-circles finger-tendon-glides ball-squeeze
  finger-spread-band thumb-to-fingertips prayer-stretch wrist-bend-up-and-down towel-wring
  fist-and-spread shoulder-blade-squeeze band-row band-pull-apart prone-y-raise
  prone-arm-lift-by-sides seated-upper-back-extension open-book four-point-upper-back-rotation
  seated-upper-back-rotation shoulder-shrug-dumbbells wall-angel one-arm-row-dumbbell
  band-face-pull kneeling-reach-stretch cat-camel single-knee-to-chest double-knee-to-chest
  lower-trunk-rotation pelvic-tilt prone-press-up prone-on-elbows childs-pose
  standing-back-extension standing-side-bend prone-opposite-arm-leg-lift seated-pelvic-tilt-ball
  seated-nerve-glide hip-hinge standing-forward-bend dead-bug bird-dog forearm-plank
  kneeling-plank side-plank-knees side-plank abdominal-bracing heel-taps curl-up
  bent-knee-fall-out leg-lowering bear-hold seated-march-ball plank-leg-lift bridge
  single-leg-bridge clamshell clamshell-band side-lying-hip-abduction side-lying-hip-adduction
  standing-hip-abduction-chair standing-hip-abduction-band standing-hip-extension
  standing-knee-lift half-kneeling-hip-flexor-stretch figure-four-stretch-lying
  figure-four-stretch-seated prone-hip-extension hip-hike band-side-steps adductor-ball-squeeze
  standing-hip-circles quad-set straight-leg-raise short-arc-quad seated-knee-extension
  heel-slide terminal-knee-extension-band mini-squat-chair wall-sit step-up forward-step-down
  standing-hamstring-curl prone-knee-bend lying-hamstring-stretch-towel seated-hamstring-stretch
  standing-quad-stretch seated-knee-bend split-squat ankle-pumps ankle-alphabet heel-raise-chair
  single-leg-heel-raise heel-drop-step calf-stretch-wall soleus-stretch-wall towel-calf-stretch
  band-ankle-dorsiflexion band-ankle-plantarflexion band-ankle-eversion band-ankle-inversion
  towel-scrunch toe-raise foot-roll-ball plantar-fascia-stretch arch-lift single-leg-stance
  tandem-stance tandem-walk single-leg-stance-eyes-closed single-leg-stance-towel
  weight-shift-side-to-side clock-reach toe-walking heel-walking forward-reach
  single-leg-hip-hinge sideways-walking feet-together-head-turns standing-march ball-toss-one-leg
  sit-to-stand bodyweight-squat wall-push-up table-push-up forward-lunge marching-on-the-spot
  step-on-and-off mountain-climbers brisk-walk seated-marching floor-to-standing
  dumbbell-deadlift goblet-squat step-jacks farmers-carry
`
  .trim()
  .split(/\s+/);

const PROP_EQUIPMENT: Record<Prop['kind'], Equipment> = {
  chair: 'chair',
  table: 'table',
  wall: 'wall',
  step: 'step',
  ball: 'ball',
  dumbbell: 'dumbbell',
  band: 'resistance_band',
  towel: 'towel',
  mat: 'mat',
};

const sentences = (text: string) => text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0);

describe('stock exercise library (R-EXE-1)', () => {
  it('ships at least 150 exercises', () => {
    expect(STOCK_EXERCISES.length).toBeGreaterThanOrEqual(150);
  });

  it('keeps every slug that has shipped', () => {
    const slugs = new Set(STOCK_EXERCISES.map((e) => e.slug));
    expect(SHIPPED_SLUGS.filter((s) => !slugs.has(s))).toEqual([]);
  });

  it('gives every exercise a unique kebab-case slug', () => {
    const slugs = STOCK_EXERCISES.map((e) => e.slug);
    for (const slug of slugs) {
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(slug.length).toBeLessThanOrEqual(80);
    }
    expect(slugs.filter((s, i) => slugs.indexOf(s) !== i)).toEqual([]);
  });

  it('gives every exercise a unique name, whatever the case', () => {
    const names = STOCK_EXERCISES.map((e) => e.name.toLowerCase());
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('covers every body region with at least 8 exercises', () => {
    const counts = Object.fromEntries(BODY_REGIONS.map((r) => [r.value, STOCK_EXERCISES.filter((e) => e.bodyRegion === r.value).length]));
    for (const region of BODY_REGIONS) expect(counts[region.value], region.value).toBeGreaterThanOrEqual(8);
  });

  it('uses only known regions, kinds and equipment, with "none" standing alone', () => {
    const regions = new Set<string>(BODY_REGIONS.map((r) => r.value));
    const kinds = new Set<string>(EXERCISE_KINDS.map((k) => k.value));
    const equipment = new Set<string>(EQUIPMENT.map((q) => q.value));
    for (const e of STOCK_EXERCISES) {
      expect(regions.has(e.bodyRegion), e.slug).toBe(true);
      expect(kinds.has(e.kind), e.slug).toBe(true);
      expect(e.equipment.length, e.slug).toBeGreaterThan(0);
      expect(new Set(e.equipment).size, e.slug).toBe(e.equipment.length);
      for (const q of e.equipment) expect(equipment.has(q), `${e.slug}: ${q}`).toBe(true);
      if (e.equipment.includes('none')) expect(e.equipment, e.slug).toEqual(['none']);
    }
  });

  it('keeps texts within their limits, in plain sentences', () => {
    for (const e of STOCK_EXERCISES) {
      expect(e.name.length, e.slug).toBeGreaterThan(0);
      expect(e.name.length, e.slug).toBeLessThanOrEqual(120);
      expect(e.name, e.slug).toBe(e.name.trim());
      expect(e.description.length, e.slug).toBeGreaterThan(0);
      expect(e.description.length, e.slug).toBeLessThanOrEqual(1000);
      expect(sentences(e.description).length, e.slug).toBeLessThanOrEqual(3);
      expect(e.steps.length, e.slug).toBeGreaterThanOrEqual(3);
      expect(e.steps.length, e.slug).toBeLessThanOrEqual(6);
      for (const step of e.steps) {
        expect(step.length, e.slug).toBeGreaterThan(0);
        expect(step.length, e.slug).toBeLessThanOrEqual(300);
        expect(step, e.slug).toMatch(/^[A-Z].*[.!?]$/);
      }
      expect(new Set(e.steps).size, e.slug).toBe(e.steps.length);
    }
  });

  it('suggests repetitions or a duration, never both, with sensible numbers', () => {
    for (const e of STOCK_EXERCISES) {
      const d = e.defaults;
      expect(Number.isInteger(d.sets) && d.sets >= 1 && d.sets <= 10, e.slug).toBe(true);
      expect((d.reps === undefined) !== (d.durationSeconds === undefined), `${e.slug}: reps xor duration`).toBe(true);
      if (d.reps !== undefined) expect(Number.isInteger(d.reps) && d.reps >= 1 && d.reps <= 50, e.slug).toBe(true);
      if (d.durationSeconds !== undefined) expect(Number.isInteger(d.durationSeconds) && d.durationSeconds >= 5 && d.durationSeconds <= 3600, e.slug).toBe(true);
      if (d.holdSeconds !== undefined) {
        expect(d.reps, `${e.slug}: a hold belongs to a repetition`).toBeDefined();
        expect(Number.isInteger(d.holdSeconds) && d.holdSeconds >= 1 && d.holdSeconds <= 120, e.slug).toBe(true);
      }
      expect(Number.isInteger(d.restSeconds) && d.restSeconds >= 0 && d.restSeconds <= 300, e.slug).toBe(true);
    }
  });

  it('draws exactly the equipment each exercise lists', () => {
    for (const e of STOCK_EXERCISES) {
      const drawn = new Set((e.pose.props ?? []).map((p) => PROP_EQUIPMENT[p.kind]));
      const listed = new Set(e.equipment.filter((q) => q !== 'none'));
      expect([...drawn].sort(), e.slug).toEqual([...listed].sort());
    }
  });

  it('seats every sitting exercise on a chair, table or ball it lists', () => {
    for (const e of STOCK_EXERCISES.filter((x) => x.pose.posture === 'sitting')) {
      const seat = (e.pose.props ?? []).some((p) => (p.kind === 'chair' && !p.hold) || (p.kind === 'table' && !p.hold) || (p.kind === 'ball' && p.at === 'pelvis' && p.place === 'under'));
      expect(seat, e.slug).toBe(true);
    }
  });

  it('labels every region, kind and piece of equipment once', () => {
    for (const list of [BODY_REGIONS, EXERCISE_KINDS, EQUIPMENT]) {
      const values = list.map((x) => x.value);
      expect(new Set(values).size).toBe(values.length);
      for (const x of list) expect(x.label.trim().length).toBeGreaterThan(0);
    }
  });
});
