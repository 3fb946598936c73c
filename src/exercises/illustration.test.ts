import { describe, expect, it } from 'vitest';
import { renderIllustration } from './illustration.ts';
import type { Pose } from './pose.ts';
import { STOCK_EXERCISES } from './stock.ts';

/**
 * A small well-formedness check for the SVG we generate: every tag is closed in order, attributes
 * are quoted, and text holds no raw markup. Returns the problems it finds.
 */
function xmlProblems(svg: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)([^<>]*?)(\/?)>/g;
  let last = 0;
  for (const m of svg.matchAll(tag)) {
    const text = svg.slice(last, m.index);
    if (/[<>]/.test(text)) problems.push(`stray markup in text: ${JSON.stringify(text.slice(0, 40))}`);
    if (/&(?![a-z]+;|#\d+;)/.test(text)) problems.push(`unescaped & in text: ${JSON.stringify(text.slice(0, 40))}`);
    last = m.index + m[0].length;
    const [, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    if (!/^(\s+[\w:-]+="[^"<>]*")*\s*$/.test(attrs)) problems.push(`malformed attributes on <${name}>: ${attrs}`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing) {
      stack.push(name);
    }
  }
  if (svg.slice(last).trim() !== '') problems.push('text after the last tag');
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

/** Every number in coordinates and sizes, to check that the drawing stays inside its picture. */
function coordinates(svg: string): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (const m of svg.matchAll(/points="([^"]*)"/g)) {
    for (const pair of m[1]!.split(' ')) {
      const [px, py] = pair.split(',').map(Number);
      x.push(px!);
      y.push(py!);
    }
  }
  for (const m of svg.matchAll(/cx="([^"]*)" cy="([^"]*)" r="([^"]*)"/g)) {
    const [cx, cy, r] = [Number(m[1]), Number(m[2]), Number(m[3])];
    x.push(cx - r, cx + r);
    y.push(cy - r, cy + r);
  }
  return { x, y };
}

const BODY_COLOUR = '#3d7ea6';
const FLOOR = 166;

/** The lowest point of the solid figure (its strokes included). */
function lowestBodyPoint(svg: string): number {
  let lowest = -Infinity;
  for (const m of svg.matchAll(/<polyline points="([^"]*)" fill="none" stroke="#3d7ea6" stroke-width="([^"]*)"/g)) {
    for (const pair of m[1]!.split(' ')) lowest = Math.max(lowest, Number(pair.split(',')[1]) + Number(m[2]) / 2);
  }
  for (const m of svg.matchAll(/<circle cx="[^"]*" cy="([^"]*)" r="([^"]*)" fill="#3d7ea6"/g)) lowest = Math.max(lowest, Number(m[1]) + Number(m[2]));
  return lowest;
}

describe('the tag checker used below', () => {
  it('finds unbalanced, unclosed and malformed markup', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><rect/>')).not.toEqual([]);
    expect(xmlProblems('<svg><title>a < b</title></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><title>a & b</title></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><rect x=1/></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg role="img"><title>a &amp; b</title><rect x="1"/></svg>')).toEqual([]);
  });
});

describe('exercise illustrations (R-EXE-1)', () => {
  const drawings = STOCK_EXERCISES.map((e) => ({ exercise: e, svg: renderIllustration(e.pose, { title: e.name }) }));

  it('renders every stock exercise as a standalone, well-formed, accessible SVG', () => {
    for (const { exercise, svg } of drawings) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), exercise.slug).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>'), exercise.slug).toBe(true);
      expect(svg, exercise.slug).toContain('role="img"');
      expect(svg, exercise.slug).toContain('viewBox="0 0 240 180"');
      expect(xmlProblems(svg), exercise.slug).toEqual([]);
      expect(svg.match(/<title>([^<]*)<\/title>/)?.[1], exercise.slug).toBe(exercise.name.replace(/&/g, '&amp;').replace(/'/g, '&apos;'));
    }
  });

  it('references nothing outside itself and runs nothing', () => {
    for (const { exercise, svg } of drawings) {
      expect(svg, exercise.slug).not.toMatch(/<script|<foreignObject|<image|<use|<style|href=|url\(|\son\w+=/i);
      expect(svg.match(/https?:\/\//g) ?? [], exercise.slug).toEqual(['http://']); // the SVG namespace only
    }
  });

  it('draws inside the picture with finite numbers', () => {
    for (const { exercise, svg } of drawings) {
      expect(svg, exercise.slug).not.toMatch(/NaN|Infinity/);
      const { x, y } = coordinates(svg);
      expect(x.length, exercise.slug).toBeGreaterThan(10);
      expect(Math.min(...x), exercise.slug).toBeGreaterThanOrEqual(0);
      expect(Math.max(...x), exercise.slug).toBeLessThanOrEqual(240);
      expect(Math.min(...y), exercise.slug).toBeGreaterThanOrEqual(0);
      expect(Math.max(...y), exercise.slug).toBeLessThanOrEqual(180);
    }
  });

  it('is deterministic: the same pose always gives the same bytes', () => {
    for (const { exercise, svg } of drawings) {
      const copy = structuredClone(exercise.pose);
      expect(renderIllustration(copy, { title: exercise.name }), exercise.slug).toBe(svg);
    }
  });

  it('draws the exercises differently from one another', () => {
    // Without titles, so only the drawings themselves count.
    const distinct = new Set(STOCK_EXERCISES.map((e) => renderIllustration(e.pose)));
    expect(distinct.size).toBeGreaterThanOrEqual(150);
  });

  it('escapes the title', () => {
    const svg = renderIllustration({ posture: 'standing' }, { title: 'Curl <fast> & "hard"' });
    expect(svg).toContain('<title>Curl &lt;fast&gt; &amp; &quot;hard&quot;</title>');
    expect(xmlProblems(svg)).toEqual([]);
  });

  it('names the picture even without a title', () => {
    expect(renderIllustration({ posture: 'standing' })).toContain('<title>Exercise illustration</title>');
  });

  it('rests the figure on the floor, or on what carries it', () => {
    for (const posture of ['standing', 'lying_back', 'lying_front', 'four_point', 'kneeling', 'plank'] as const) {
      expect(lowestBodyPoint(renderIllustration({ posture })), posture).toBeCloseTo(FLOOR, 0);
    }
    // On a step the feet are lifted by its height.
    expect(lowestBodyPoint(renderIllustration({ posture: 'standing', props: [{ kind: 'step', under: 'feet' }] }))).toBeLessThan(FLOOR - 10);
    // Seated, the feet reach the floor; with the knee straightened the figure stays on the chair.
    expect(lowestBodyPoint(renderIllustration({ posture: 'sitting', props: [{ kind: 'chair' }] }))).toBeCloseTo(FLOOR, 0);
    expect(lowestBodyPoint(renderIllustration({ posture: 'sitting', nearLeg: { knee: 0 }, farLeg: { knee: 0 }, props: [{ kind: 'chair' }] }))).toBeLessThan(FLOOR - 10);
  });

  it('shows where a movement starts, faintly, with an arrow to where it ends', () => {
    const still: Pose = { posture: 'sitting', nearLeg: { knee: 5 }, props: [{ kind: 'chair' }] };
    const moving: Pose = { ...still, from: { nearLeg: { knee: 90 } } };
    expect(renderIllustration(still)).not.toContain('stroke-dasharray');
    expect(renderIllustration(still)).not.toContain('#e8702a');
    expect(renderIllustration(moving)).toContain('stroke-dasharray');
    expect(renderIllustration(moving)).toContain('#e8702a');
  });

  it('changes the drawing when a joint angle changes', () => {
    const a = renderIllustration({ posture: 'standing', nearArm: { shoulder: 0 } });
    const b = renderIllustration({ posture: 'standing', nearArm: { shoulder: 90 } });
    expect(a).not.toBe(b);
  });

  it('stays well-formed whatever the angles', () => {
    const pose: Pose = { posture: 'lying_side', lean: Number.NaN, neck: Infinity, spine: 7, nearArm: { shoulder: -720, elbow: 1e6 }, farLeg: { hip: Number.NaN }, from: { nearLeg: { hip: 400 } }, arrow: { kind: 'twist', at: 'near_foot', turn: 'clockwise' } };
    const svg = renderIllustration(pose);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).toContain(BODY_COLOUR);
  });
});
