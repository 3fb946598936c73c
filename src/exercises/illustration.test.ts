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
  // Every frame a moving shape passes through (R-ENG-8).
  for (const m of svg.matchAll(/attributeName="points" values="([^"]*)"/g)) {
    for (const frame of m[1]!.split(';')) {
      for (const pair of frame.split(' ')) {
        const [px, py] = pair.split(',').map(Number);
        x.push(px!);
        y.push(py!);
      }
    }
  }
  for (const m of svg.matchAll(/attributeName="(cx|cy)" values="([^"]*)"/g)) (m[1] === 'cx' ? x : y).push(...m[2]!.split(';').map(Number));
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
      // Its only style sheet shows or hides the moving copy (R-ENG-8), and loads nothing.
      const styles = [...svg.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]!);
      expect(styles.length, exercise.slug).toBeLessThanOrEqual(1);
      for (const css of styles) expect(css, exercise.slug).toMatch(/^[.\w{}:;@() -]*$/);
      expect(svg.replace(/<style>[^<]*<\/style>/, ''), exercise.slug).not.toMatch(/<script|<foreignObject|<image|<use|<style|<set|href=|url\(|@import|\son\w+=/i);
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

/** The moving copies of a picture: each `<animate>` with its element, its frames and its timing. */
function animations(svg: string) {
  return [...svg.matchAll(/<(polyline|polygon|circle) ([^>]*) class="motion">((?:<animate [^>]*\/>)+)<\/\1>/g)].map((m) => ({
    tag: m[1]!,
    attrs: m[2]!,
    animates: [...m[3]!.matchAll(/<animate attributeName="([^"]*)" values="([^"]*)" keyTimes="([^"]*)" dur="([^"]*)s"/g)].map((a) => ({
      attribute: a[1]!,
      values: a[2]!.split(';'),
      keyTimes: a[3]!.split(';').map(Number),
      seconds: Number(a[4]),
    })),
  }));
}

const points = (list: string) => list.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);

describe('moving illustrations (R-ENG-8)', () => {
  const twoPose = STOCK_EXERCISES.filter((e) => e.pose.from);
  const onePose = STOCK_EXERCISES.filter((e) => !e.pose.from);
  // Raising a straight arm from the side to overhead: the hand travels half a circle round the shoulder.
  const armRaise: Pose = { posture: 'standing', nearArm: { shoulder: 180, elbow: 0 }, from: { nearArm: { shoulder: 0 } } };

  it('moves every two-pose stock exercise between its start and end pose, slowly and without end', () => {
    expect(twoPose.length).toBeGreaterThan(50);
    for (const e of twoPose) {
      const moving = animations(renderIllustration(e.pose, { title: e.name }));
      expect(moving.length, e.slug).toBeGreaterThan(0);
      for (const { animates } of moving) {
        for (const a of animates) {
          expect(a.seconds, e.slug).toBeGreaterThanOrEqual(3);
          expect(a.seconds, e.slug).toBeLessThanOrEqual(4);
          expect(a.values.length, e.slug).toBe(a.keyTimes.length);
          expect(a.keyTimes[0], e.slug).toBe(0);
          expect(a.keyTimes.at(-1), e.slug).toBe(1);
          expect(a.keyTimes.every((t, i) => i === 0 || t > a.keyTimes[i - 1]!), e.slug).toBe(true);
        }
      }
    }
    const svg = renderIllustration(twoPose[0]!.pose);
    expect(svg).toContain('repeatCount="indefinite"');
  });

  it('holds at each end, and eases in and out of the movement', () => {
    const [arm] = animations(renderIllustration(armRaise)).filter((a) => a.tag === 'polyline' && a.attrs.includes('stroke="#3d7ea6"'));
    const { values, keyTimes } = arm!.animates[0]!;
    // A hold at the start (the first two frames are the same), and at the end (the middle two).
    expect(values[0]).toBe(values[1]);
    expect(keyTimes[1]).toBeGreaterThan(0.1);
    const turn = values.indexOf(values[Math.floor(values.length / 2)]!);
    expect(values[turn]).toBe(values[turn + 1]);
    expect(keyTimes[turn + 1]! - keyTimes[turn]!).toBeGreaterThan(0.1);
    expect(values.at(-1)).toBe(values[0]);
    // Frames are evenly timed but the hand travels least at the ends of the movement.
    const hand = (i: number) => points(values[i]!).at(-1)!;
    const step = (i: number) => Math.hypot(hand(i + 1)[0] - hand(i)[0], hand(i + 1)[1] - hand(i)[1]);
    const middle = Math.floor((1 + turn) / 2);
    expect(step(1)).toBeLessThan(step(middle) / 2);
    expect(step(turn - 1)).toBeLessThan(step(middle) / 2);
  });

  it('swings limbs round their joints rather than shrinking them through a straight path', () => {
    const [arm] = animations(renderIllustration(armRaise)).filter((a) => a.tag === 'polyline' && a.attrs.includes('stroke="#3d7ea6"'));
    const lengths = arm!.animates[0]!.values.map((v) => {
      const [shoulder, , , fingers] = points(v);
      return Math.hypot(fingers![0] - shoulder![0], fingers![1] - shoulder![1]);
    });
    expect(Math.min(...lengths)).toBeGreaterThan(Math.max(...lengths) * 0.9);
  });

  it('starts from the pose drawn faintly in the still picture and rests in the end pose', () => {
    const svg = renderIllustration(armRaise);
    const [arm] = animations(svg).filter((a) => a.tag === 'polyline' && a.attrs.includes('stroke="#3d7ea6"'));
    const values = arm!.animates[0]!.values;
    const ghost = svg.match(/<polyline points="([^"]*)" fill="none" stroke="#9aa5b1"[^>]*stroke-dasharray="3 3" class="still"\/>/g)!.map((m) => m.match(/points="([^"]*)"/)![1]);
    expect(ghost).toContain(values[0]);
    // Its own geometry, for a viewer that does not animate, is the end pose: the same as the still copy's.
    const base = arm!.attrs.match(/points="([^"]*)"/)![1]!;
    expect(values[Math.floor(values.length / 2)]).toBe(base);
    expect(svg).toContain(`<polyline points="${base}" fill="none" stroke="#3d7ea6"`);
  });

  it('stays still for people who prefer reduced motion: the still copy is shown and the moving one hidden', () => {
    for (const e of twoPose) {
      const svg = renderIllustration(e.pose, { title: e.name });
      const css = svg.match(/<style>([^<]*)<\/style>/)?.[1] ?? '';
      expect(css, e.slug).toContain('.still{display:none}');
      const reduced = css.match(/@media \(prefers-reduced-motion: reduce\)\{(.*)\}$/)?.[1] ?? '';
      expect(reduced, e.slug).toContain('.motion{display:none}');
      expect(reduced, e.slug).toContain('.still{display:inline}');
      // Every moving element has a still twin, and the still copy holds the faint start and the arrow.
      expect((svg.match(/class="still"/g) ?? []).length, e.slug).toBeGreaterThanOrEqual((svg.match(/class="motion"/g) ?? []).length);
      expect(svg, e.slug).toMatch(/stroke-dasharray="3 3" class="still"/);
      // Nothing animates outside the moving copy.
      expect(svg.replace(/<[a-z]+ [^>]*class="motion">(<animate [^>]*\/>)+<\/[a-z]+>/g, ''), e.slug).not.toContain('<animate');
    }
  });

  it('keeps an exercise with one pose still, with no animation and no style', () => {
    expect(onePose.length).toBeGreaterThan(20);
    for (const e of onePose) {
      const svg = renderIllustration(e.pose, { title: e.name });
      expect(svg, e.slug).not.toMatch(/<animate|<style|class=/);
    }
  });

  it('draws only the still picture when asked (for print)', () => {
    const still = renderIllustration(armRaise, { still: true });
    expect(still).not.toMatch(/<animate|<style|class=/);
    expect(still).toContain('stroke-dasharray');
    expect(still).toContain('#e8702a');
  });

  it('is well-formed XML that an SVG renderer reads', async () => {
    const sharp = (await import('sharp')).default;
    await expect(sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).png().toBuffer()).rejects.toThrow();
    for (const e of twoPose) {
      const svg = renderIllustration(e.pose, { title: e.name });
      expect(xmlProblems(svg), e.slug).toEqual([]);
      const png = await sharp(Buffer.from(svg)).png().toBuffer();
      expect((await sharp(png).metadata()).width, e.slug).toBe(240);
    }
  });
});
