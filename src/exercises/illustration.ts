import type { ArmAngles, Arrow, BandAnchor, LegAngles, PointName, Pose, PoseAngles, Posture, Prop, Side, View } from './pose.ts';

/**
 * R-EXE-1: draws a stock exercise as a small, self-contained SVG, so the library has a picture for
 * every exercise without downloading anything. The figure is built from joint angles (a tiny
 * forward-kinematics step), rested on whatever carries its weight, and then framed in the picture.
 * Output is deterministic: numbers are rounded to one decimal and nothing depends on time or
 * randomness, so the same pose always gives the same bytes (and can be cached).
 */

const WIDTH = 240;
const HEIGHT = 180;
const FLOOR = 166;
const MARGIN = 8;

/** Body proportions in picture units (before the fitting scale). */
const BODY = {
  trunk: 40,
  neck: 6,
  headRadius: 8,
  upperArm: 24,
  forearm: 21,
  hand: 7,
  thigh: 33,
  shin: 32,
  foot: 11,
  heel: 3,
  shoulderHalfWidth: 11,
  hipHalfWidth: 6,
} as const;

/** Stroke widths of the solid figure; resting it on the floor uses the same numbers. */
const STROKES = { leg: 6, arm: 5, foot: 5, neck: 5, trunkSide: 11, trunkFront: 14, shoulders: 7, hips: 9, endOnThigh: 11, nose: 2.2 } as const;
const trunkWidth = (view: View): number => (view === 'front' ? STROKES.trunkFront : STROKES.trunkSide);
const noseOf = (k: Skeleton): Vec => add(k.head, mul(k.face, BODY.headRadius - 0.5));

const SIZES = { seat: 29, table: 50, step: 14, mat: 3, largeBall: 20, smallBall: 6 } as const;

const COLOURS = {
  background: '#f7f9fb',
  ground: '#ece6da',
  floorLine: '#cfc6b4',
  body: '#3d7ea6',
  far: '#a7c8dd',
  ghost: '#9aa5b1',
  wood: '#9a7452',
  woodLight: '#e7dccd',
  wall: '#e4ded2',
  wallEdge: '#b9ae98',
  step: '#cdbf9f',
  stepEdge: '#9c8d6c',
  mat: '#93c48b',
  ball: '#f0b429',
  smallBall: '#ef8354',
  ballEdge: '#c7841c',
  band: '#d64545',
  metal: '#4a4f55',
  towel: '#e3c77a',
  arrow: '#e8702a',
} as const;

// ---------------------------------------------------------------------------------------------
// Geometry

interface Vec {
  x: number;
  y: number;
}

const vec = (x: number, y: number): Vec => ({ x, y });
const add = (a: Vec, b: Vec): Vec => vec(a.x + b.x, a.y + b.y);
const sub = (a: Vec, b: Vec): Vec => vec(a.x - b.x, a.y - b.y);
const mul = (a: Vec, k: number): Vec => vec(a.x * k, a.y * k);
const mid = (a: Vec, b: Vec, t = 0.5): Vec => vec(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
const dist = (a: Vec, b: Vec): number => Math.hypot(a.x - b.x, a.y - b.y);
const rad = (deg: number): number => (deg * Math.PI) / 180;
const unit = (a: Vec): Vec => {
  const l = Math.hypot(a.x, a.y);
  return l === 0 ? vec(0, 1) : mul(a, 1 / l);
};
/** The vector turned a quarter clockwise on screen (y points down). */
const perp = (a: Vec): Vec => vec(-a.y, a.x);

/** An orientation of the body in the picture: `up` runs from the hips to the head, `fwd` to the front (or to the near side, seen from the front). */
interface Frame {
  up: Vec;
  fwd: Vec;
}

/** A body tilted `deg` degrees from upright; positive tips the head towards the front. */
function frame(deg: number): Frame {
  const r = rad(deg);
  return { up: vec(Math.sin(r), -Math.cos(r)), fwd: vec(Math.cos(r), Math.sin(r)) };
}

/** The direction `deg` degrees from "down the body" towards the front; `mirror` −1 turns the other way (far limbs seen from the front). */
function toward(f: Frame, deg: number, mirror: 1 | -1 = 1): Vec {
  const r = rad(deg);
  return add(mul(f.up, -Math.cos(r)), mul(f.fwd, Math.sin(r) * mirror));
}

function quadratic(a: Vec, control: Vec, b: Vec, steps = 8): Vec[] {
  const out: Vec[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    out.push(add(add(mul(a, (1 - t) * (1 - t)), mul(control, 2 * (1 - t) * t)), mul(b, t * t)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Postures

interface Angles {
  lean: number;
  neck: number;
  spine: number;
  nearArm: Required<ArmAngles>;
  farArm: Required<ArmAngles>;
  nearLeg: Required<LegAngles>;
  farLeg: Required<LegAngles>;
}

interface PostureSpec {
  tilt: number;
  angles: Angles;
  /** Limbs pointing at the viewer look shorter (thighs of someone seated, seen from the front). */
  thighScale: number;
  shinScale: number;
}

const arm = (shoulder: number, elbow = 0, wrist = 0): Required<ArmAngles> => ({ shoulder, elbow, wrist });
const leg = (hip: number, knee = 0, ankle = 0): Required<LegAngles> => ({ hip, knee, ankle });

function spec(tilt: number, arms: Required<ArmAngles> | [Required<ArmAngles>, Required<ArmAngles>], legs: Required<LegAngles> | [Required<LegAngles>, Required<LegAngles>], extra: Partial<PostureSpec> = {}): PostureSpec {
  const [nearArm, farArm] = Array.isArray(arms) ? arms : [arms, arms];
  const [nearLeg, farLeg] = Array.isArray(legs) ? legs : [legs, legs];
  return { tilt, angles: { lean: 0, neck: 0, spine: 0, nearArm, farArm, nearLeg, farLeg }, thighScale: 1, shinScale: 1, ...extra };
}

/** The views a posture can be drawn in; the first is its default. */
const POSTURE_VIEWS: Record<Posture, readonly View[]> = {
  standing: ['side', 'front'],
  sitting: ['side', 'front'],
  long_sitting: ['side'],
  lying_back: ['side'],
  lying_front: ['side'],
  lying_side: ['front'],
  kneeling: ['side', 'front'],
  half_kneeling: ['side'],
  four_point: ['side'],
  plank: ['side'],
  side_plank: ['front'],
};

function postureSpec(posture: Posture, view: View): PostureSpec {
  const front = view === 'front';
  switch (posture) {
    case 'standing':
      return front ? spec(0, arm(8), leg(4)) : spec(0, arm(0, 8), leg(0));
    case 'sitting':
      return front ? spec(0, arm(12, -25), leg(16, 16), { thighScale: 0.5 }) : spec(0, arm(15, 55), leg(90, 90));
    case 'long_sitting':
      return spec(0, arm(30, 30), leg(90));
    case 'lying_back':
      return spec(-90, arm(8), leg(0));
    case 'lying_front':
      return spec(90, arm(0), leg(0, 0, 90));
    case 'lying_side':
      return spec(-90, [arm(0), arm(180)], leg(0));
    case 'kneeling':
      return front ? spec(0, arm(8), leg(4), { shinScale: 0.2 }) : spec(0, arm(0, 8), leg(0, 90, 90));
    case 'half_kneeling':
      return spec(0, arm(0, 8), [leg(90, 90), leg(0, 90, 90)]);
    case 'four_point':
      return spec(90, arm(90, 0, 90), leg(90, 90, 90));
    case 'plank':
      return spec(82, arm(82, 90), leg(0));
    case 'side_plank':
      return spec(-76, [arm(0, 20), arm(76, 90)], leg(0));
  }
}

const finite = (n: number | undefined, fallback: number): number => (typeof n === 'number' && Number.isFinite(n) ? n : fallback);

function mergeArm(base: Required<ArmAngles>, over: ArmAngles | undefined): Required<ArmAngles> {
  return { shoulder: finite(over?.shoulder, base.shoulder), elbow: finite(over?.elbow, base.elbow), wrist: finite(over?.wrist, base.wrist) };
}

function mergeLeg(base: Required<LegAngles>, over: LegAngles | undefined): Required<LegAngles> {
  return { hip: finite(over?.hip, base.hip), knee: finite(over?.knee, base.knee), ankle: finite(over?.ankle, base.ankle) };
}

function merge(base: Angles, over: PoseAngles): Angles {
  return {
    lean: finite(over.lean, base.lean),
    neck: finite(over.neck, base.neck),
    spine: Math.max(-1, Math.min(1, finite(over.spine, base.spine))),
    nearArm: mergeArm(base.nearArm, over.nearArm),
    farArm: mergeArm(base.farArm, over.farArm),
    nearLeg: mergeLeg(base.nearLeg, over.nearLeg),
    farLeg: mergeLeg(base.farLeg, over.farLeg),
  };
}

// ---------------------------------------------------------------------------------------------
// Skeleton

/** Arm: root = shoulder, middle = elbow, end = wrist, tip = fingertips. Leg: hip, knee, ankle, toes (and heel). */
interface Limb {
  root: Vec;
  middle: Vec;
  end: Vec;
  tip: Vec;
  heel: Vec;
}

interface Skeleton {
  view: View;
  pelvis: Vec;
  neck: Vec;
  head: Vec;
  /** Which way the face points (drawn as a nose in the side view). */
  face: Vec;
  spine: Vec[];
  arms: Record<Side, Limb>;
  legs: Record<Side, Limb>;
}

const SIDES: readonly Side[] = ['far', 'near'];

function buildSkeleton(s: PostureSpec, view: View, a: Angles): Skeleton {
  const lower = frame(s.tilt);
  const upper = frame(s.tilt + a.lean);
  const front = view === 'front';
  const pelvis = vec(0, 0);
  const neck = add(pelvis, mul(upper.up, BODY.trunk));
  const bulge = add(mid(pelvis, neck), mul(upper.fwd, -a.spine * 12));
  const spine = quadratic(pelvis, bulge, neck);
  const headDir = toward(upper, 180 - a.neck);
  const head = add(neck, mul(headDir, BODY.neck + BODY.headRadius));
  const face = unit(toward(upper, 90 - a.neck));
  const shoulderBase = add(neck, mul(upper.up, -3));

  const arms = {} as Record<Side, Limb>;
  const legs = {} as Record<Side, Limb>;
  for (const side of SIDES) {
    const mirror: 1 | -1 = front && side === 'far' ? -1 : 1;
    const armAngles = side === 'near' ? a.nearArm : a.farArm;
    const shoulder = front ? add(shoulderBase, mul(upper.fwd, BODY.shoulderHalfWidth * mirror)) : shoulderBase;
    const elbow = add(shoulder, mul(toward(upper, armAngles.shoulder, mirror), BODY.upperArm));
    const forearm = armAngles.shoulder + armAngles.elbow;
    const wrist = add(elbow, mul(toward(upper, forearm, mirror), BODY.forearm));
    const fingers = add(wrist, mul(toward(upper, forearm + armAngles.wrist, mirror), BODY.hand));
    arms[side] = { root: shoulder, middle: elbow, end: wrist, tip: fingers, heel: wrist };

    const legAngles = side === 'near' ? a.nearLeg : a.farLeg;
    const hip = front ? add(pelvis, mul(lower.fwd, BODY.hipHalfWidth * mirror)) : pelvis;
    const knee = add(hip, mul(toward(lower, legAngles.hip, mirror), BODY.thigh * s.thighScale));
    const shin = legAngles.hip - legAngles.knee;
    const ankle = add(knee, mul(toward(lower, shin, mirror), BODY.shin * s.shinScale));
    // Seen from the front a foot points at the viewer, so only a short stub turned out shows.
    const footDir = front ? toward(lower, shin + 25, mirror) : toward(lower, shin + 90 - legAngles.ankle, mirror);
    const toes = add(ankle, mul(footDir, front ? 5 : BODY.foot));
    const heel = front ? ankle : add(ankle, mul(footDir, -BODY.heel));
    legs[side] = { root: hip, middle: knee, end: ankle, tip: toes, heel };
  }
  return { view, pelvis, neck, head, face, spine, arms, legs };
}

function mapSkeleton(k: Skeleton, f: (p: Vec) => Vec): Skeleton {
  const limb = (l: Limb): Limb => ({ root: f(l.root), middle: f(l.middle), end: f(l.end), tip: f(l.tip), heel: f(l.heel) });
  return {
    view: k.view,
    pelvis: f(k.pelvis),
    neck: f(k.neck),
    head: f(k.head),
    face: k.face,
    spine: k.spine.map(f),
    arms: { near: limb(k.arms.near), far: limb(k.arms.far) },
    legs: { near: limb(k.legs.near), far: limb(k.legs.far) },
  };
}

function point(k: Skeleton, name: PointName): Vec {
  switch (name) {
    case 'head':
      return k.head;
    case 'neck':
      return k.neck;
    case 'pelvis':
      return k.pelvis;
    case 'hands':
      return mid(point(k, 'near_hand'), point(k, 'far_hand'));
    case 'knees':
      return mid(k.legs.near.middle, k.legs.far.middle);
    case 'feet':
      return mid(point(k, 'near_foot'), point(k, 'far_foot'));
  }
  const [side, joint] = name.split('_') as [Side, string];
  const armLimb = k.arms[side];
  const legLimb = k.legs[side];
  switch (joint) {
    case 'shoulder':
      return armLimb.root;
    case 'elbow':
      return armLimb.middle;
    case 'hand':
      return mid(armLimb.end, armLimb.tip);
    case 'hip':
      return legLimb.root;
    case 'knee':
      return legLimb.middle;
    default:
      return mid(legLimb.end, legLimb.tip, 0.4);
  }
}

// ---------------------------------------------------------------------------------------------
// Resting the figure on what carries it

/** A point of the figure that can touch a surface, with the half-thickness of the body there. */
interface Contact {
  id: string;
  at: Vec;
  radius: number;
}

function contacts(k: Skeleton): Contact[] {
  const trunk = trunkWidth(k.view) / 2;
  const leg = STROKES.leg / 2;
  const arm = STROKES.arm / 2;
  const out: Contact[] = [
    { id: 'head', at: k.head, radius: BODY.headRadius },
    { id: 'neck', at: k.neck, radius: trunk },
    { id: 'pelvis', at: k.pelvis, radius: trunk },
  ];
  if (k.view === 'side') out.push({ id: 'head', at: noseOf(k), radius: STROKES.nose });
  k.spine.forEach((p) => out.push({ id: 'trunk', at: p, radius: trunk }));
  for (const side of SIDES) {
    const a = k.arms[side];
    const l = k.legs[side];
    out.push(
      { id: `${side}_shoulder`, at: a.root, radius: k.view === 'front' ? STROKES.shoulders / 2 : arm },
      { id: `${side}_elbow`, at: a.middle, radius: arm },
      { id: `${side}_hand`, at: a.end, radius: arm },
      { id: `${side}_hand`, at: a.tip, radius: arm },
      { id: `${side}_hip`, at: l.root, radius: k.view === 'front' ? STROKES.hips / 2 : trunk },
      { id: `${side}_knee`, at: l.middle, radius: leg },
      { id: `${side}_foot`, at: l.end, radius: leg },
      { id: `${side}_foot`, at: l.heel, radius: STROKES.foot / 2 },
      { id: `${side}_foot`, at: l.tip, radius: STROKES.foot / 2 },
    );
  }
  return out;
}

const LYING: ReadonlySet<Posture> = new Set(['lying_back', 'lying_front', 'lying_side']);

function contactIds(name: PointName): string[] {
  switch (name) {
    case 'hands':
      return ['near_hand', 'far_hand'];
    case 'knees':
      return ['near_knee', 'far_knee'];
    case 'feet':
      return ['near_foot', 'far_foot'];
    default:
      return [name];
  }
}

const isFoot = (name: PointName): boolean => name === 'feet' || name.endsWith('_foot');
/** A towel under a knee or the neck is rolled up; under anything else it lies folded flat. */
const isRolled = (name: PointName): boolean => name === 'knees' || name === 'neck' || name === 'pelvis' || name.endsWith('_knee');
const isHeld = (p: Prop): boolean => (p.kind === 'chair' || p.kind === 'table') && p.hold !== undefined;

type BallProp = Extract<Prop, { kind: 'ball' }>;
const ballRadius = (p: BallProp): number => (p.size === 'large' ? SIZES.largeBall : SIZES.smallBall);

/** What carries the pelvis when sitting: a chair, else a ball under it, else a table; a plain stool if none is given. */
interface Seat {
  kind: 'chair' | 'ball' | 'table' | 'stool';
  height: number;
}

function seatOf(posture: Posture, props: readonly Prop[]): Seat | null {
  if (posture !== 'sitting') return null;
  if (props.some((p) => p.kind === 'chair' && !isHeld(p))) return { kind: 'chair', height: SIZES.seat };
  const ball = props.find((p): p is BallProp => p.kind === 'ball' && p.place === 'under' && p.at === 'pelvis');
  if (ball) return { kind: 'ball', height: ballRadius(ball) * 2 };
  if (props.some((p) => p.kind === 'table' && !isHeld(p))) return { kind: 'table', height: SIZES.table };
  return { kind: 'stool', height: SIZES.seat };
}

/** How high above the floor each part of the figure may come to rest. */
function supportLevels(posture: Posture, props: readonly Prop[]): (id: string) => number {
  const hasMat = props.some((p) => p.kind === 'mat');
  const base = FLOOR - (hasMat ? SIZES.mat : 0);
  const levels = new Map<string, number>();
  const raise = (ids: string[], level: number) => ids.forEach((id) => levels.set(id, Math.min(levels.get(id) ?? base, level)));
  const seat = seatOf(posture, props);
  if (seat) raise(['pelvis', 'near_hip', 'far_hip'], FLOOR - seat.height);
  const liesOnTable = LYING.has(posture) && props.some((p) => p.kind === 'table' && !isHeld(p));
  for (const p of props) {
    if (p.kind === 'step') raise(p.under === 'feet' ? ['near_foot', 'far_foot'] : [p.under], FLOOR - SIZES.step);
    if (p.kind === 'ball' && p.place === 'under') raise(contactIds(p.at), base - ballRadius(p) * 2);
    if (p.kind === 'towel' && p.to === undefined) raise(contactIds(p.from), base - (isRolled(p.from) ? 10 : 5));
  }
  return (id) => (liesOnTable ? FLOOR - SIZES.table : (levels.get(id) ?? base));
}

/** How far to lower (or lift) the figure for its first point to touch what carries it. */
function groundOffset(k: Skeleton, level: (id: string) => number): number {
  let dy = Infinity;
  for (const c of contacts(k)) dy = Math.min(dy, level(c.id) - (c.at.y + c.radius));
  return dy;
}

const shiftDown = (k: Skeleton, dy: number): Skeleton => mapSkeleton(k, (p) => vec(p.x, p.y + dy));

// ---------------------------------------------------------------------------------------------
// Shapes: everything is a polyline, a polygon or a circle, so framing is one transform.

interface Stroke {
  colour: string;
  width: number;
  dash?: string;
}

type Shape =
  /** A halo is a thin outline in the background colour that keeps overlapping limbs apart. */
  | { type: 'line'; points: Vec[]; stroke: Stroke; halo?: boolean }
  | { type: 'polygon'; points: Vec[]; fill: string; stroke?: Stroke }
  | { type: 'circle'; centre: Vec; radius: number; fill: string; stroke?: Stroke };

const line = (points: Vec[], colour: string, width: number, dash?: string, halo = false): Shape => ({ type: 'line', points, stroke: dash ? { colour, width, dash } : { colour, width }, halo });
const rect = (x0: number, y0: number, x1: number, y1: number, fill: string, edge?: string): Shape => ({
  type: 'polygon',
  points: [vec(x0, y0), vec(x1, y0), vec(x1, y1), vec(x0, y1)],
  fill,
  ...(edge ? { stroke: { colour: edge, width: 1.5 } } : {}),
});

function figureShapes(k: Skeleton, s: PostureSpec, style: 'solid' | 'ghost'): Map<string, Shape> {
  const ghost = style === 'ghost';
  const dash = ghost ? '3 3' : undefined;
  const colourOf = (side: Side) => (ghost ? COLOURS.ghost : side === 'far' && k.view === 'side' ? COLOURS.far : COLOURS.body);
  const w = ghost ? 2 : STROKES.leg;
  const shapes = new Map<string, Shape>();
  for (const side of SIDES) {
    const l = k.legs[side];
    const a = k.arms[side];
    const halo = !ghost && (side === 'near' || k.view === 'front');
    // A thigh pointing at the viewer is seen end-on: drawn short and wide.
    if (s.thighScale < 1) {
      shapes.set(`${side}-leg`, line([l.middle, l.end], colourOf(side), w, dash, halo));
      shapes.set(`${side}-thigh`, line([l.root, l.middle], colourOf(side), ghost ? 2 : STROKES.endOnThigh, dash));
    } else {
      shapes.set(`${side}-leg`, line([l.root, l.middle, l.end], colourOf(side), w, dash, halo));
    }
    shapes.set(`${side}-foot`, line([l.heel, l.tip], colourOf(side), ghost ? 2 : STROKES.foot, dash));
    shapes.set(`${side}-arm`, line([a.root, a.middle, a.end, a.tip], colourOf(side), ghost ? 2 : STROKES.arm, dash, halo));
  }
  const body = ghost ? COLOURS.ghost : COLOURS.body;
  const front = k.view === 'front';
  shapes.set('trunk', line(k.spine, body, ghost ? 2 : trunkWidth(k.view), dash));
  if (front) {
    shapes.set('shoulders', line([k.arms.far.root, k.arms.near.root], body, ghost ? 2 : STROKES.shoulders, dash));
    shapes.set('hips', line([k.legs.far.root, k.legs.near.root], body, ghost ? 2 : STROKES.hips, dash));
  }
  shapes.set('neck', line([k.neck, k.head], body, ghost ? 2 : STROKES.neck, dash));
  shapes.set(
    'head',
    ghost
      ? { type: 'circle', centre: k.head, radius: BODY.headRadius, fill: 'none', stroke: { colour: COLOURS.ghost, width: 1.5, dash: '3 3' } }
      : { type: 'circle', centre: k.head, radius: BODY.headRadius, fill: COLOURS.body },
  );
  if (!front && !ghost) shapes.set('nose', { type: 'circle', centre: noseOf(k), radius: STROKES.nose, fill: COLOURS.body });
  return shapes;
}

/** Draw order: limbs behind the body, the body, then the limbs in front of it. */
const BACK_PARTS = ['far-leg', 'far-thigh', 'far-foot', 'far-arm'];
const FRONT_PARTS = ['trunk', 'shoulders', 'hips', 'neck', 'head', 'nose', 'near-leg', 'near-thigh', 'near-foot', 'near-arm'];

function pointsOf(s: Shape): Vec[] {
  return s.type === 'circle' ? [s.centre] : s.points;
}

function moved(a: Shape | undefined, b: Shape | undefined): boolean {
  if (!a || !b) return false;
  const pa = pointsOf(a);
  const pb = pointsOf(b);
  return pa.some((p, i) => dist(p, pb[i] ?? p) > 1.5);
}

function arrowHead(tip: Vec, direction: Vec): Shape {
  const d = unit(direction);
  const n = perp(d);
  const back = sub(tip, mul(d, 7));
  return { type: 'polygon', points: [tip, add(back, mul(n, 4)), sub(back, mul(n, 4))], fill: COLOURS.arrow };
}

function arrowAlong(points: Vec[]): Shape[] {
  const last = points[points.length - 1]!;
  const before = points[points.length - 2] ?? last;
  const d = unit(sub(last, before));
  return [line([...points.slice(0, -1), sub(last, mul(d, 5))], COLOURS.arrow, 2.5), arrowHead(last, d)];
}

function arcArrow(centre: Vec, radius: number, start: number, sweep: number): Shape[] {
  const steps = Math.max(4, Math.ceil(Math.abs(sweep) / 0.15));
  const points: Vec[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = start + (sweep * i) / steps;
    points.push(add(centre, vec(Math.cos(t) * radius, Math.sin(t) * radius)));
  }
  return arrowAlong(points);
}

const DIRECTIONS = { up: vec(0, -1), down: vec(0, 1), left: vec(-1, 0), right: vec(1, 0) } as const;

/** The long axis of the body part a twist turns about. */
function axisAt(k: Skeleton, name: PointName): Vec {
  if (name.endsWith('_hand')) {
    const a = k.arms[name.startsWith('near') ? 'near' : 'far'];
    return unit(sub(a.end, a.middle));
  }
  if (name.endsWith('_foot')) {
    const l = k.legs[name.startsWith('near') ? 'near' : 'far'];
    return unit(sub(l.end, l.middle));
  }
  return unit(sub(k.neck, k.pelvis));
}

function cueArrow(k: Skeleton, cue: Arrow): Shape[] {
  const at = point(k, cue.at);
  if (cue.kind === 'straight') {
    const d = DIRECTIONS[cue.direction];
    // Beside the point rather than over it: to the right of vertical arrows, above horizontal ones.
    const centre = add(at, cue.direction === 'up' || cue.direction === 'down' ? vec(18, 0) : vec(0, -18));
    return arrowAlong([sub(centre, mul(d, 11)), add(centre, mul(d, 11))]);
  }
  const sign = cue.turn === 'clockwise' ? 1 : -1;
  if (cue.kind === 'turn') {
    const sweep = sign * rad(290);
    return arcArrow(at, 14, -Math.PI / 2 - sweep / 2, sweep);
  }
  // A twist is a flat loop seen edge-on: wide across the axis, shallow along it.
  const along = axisAt(k, cue.at);
  const across = perp(along);
  const points: Vec[] = [];
  for (let i = 0; i <= 20; i++) {
    const t = Math.PI / 2 + sign * (0.35 + (i / 20) * rad(290));
    points.push(add(at, add(mul(across, Math.cos(t) * 16), mul(along, Math.sin(t) * 5))));
  }
  return arrowAlong(points);
}

/** Tracked ends of the figure, each with its chain of joints from the tip inwards. */
function chains(k: Skeleton): Vec[][] {
  const out: Vec[][] = [];
  for (const side of SIDES) {
    const a = k.arms[side];
    const l = k.legs[side];
    out.push([a.tip, a.end, a.middle, a.root, k.pelvis], [l.tip, l.end, l.middle, l.root]);
  }
  out.push([k.head, k.neck, k.pelvis]);
  return out;
}

/** An arrow from where the movement starts to where it ends: around the joint that stays put, or straight if everything moved. */
function motionArrow(start: Skeleton, end: Skeleton): Shape[] {
  if (dist(start.pelvis, end.pelvis) > 1.5) {
    // The whole body moves (rising, squatting, bridging): follow the head or the hips, whichever travels further.
    const hips = dist(start.pelvis, end.pelvis);
    const head = dist(start.head, end.head);
    return hips > head ? besideArrow(start.pelvis, end.pelvis, hips) : besideArrow(start.head, end.head, head);
  }
  // Otherwise follow the end of the limb (or the head) that moves furthest.
  const a = chains(start);
  const b = chains(end);
  let best = -1;
  let bestDistance = 3;
  a.forEach((chain, i) => {
    const d = dist(chain[0]!, b[i]![0]!);
    if (d > bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  if (best < 0) return [];
  const from = a[best]!;
  const to = b[best]!;
  const pivotIndex = to.findIndex((p, j) => j > 0 && dist(p, from[j]!) < 1.5);
  if (pivotIndex > 0) {
    const pivot = to[pivotIndex]!;
    const start0 = Math.atan2(from[0]!.y - pivot.y, from[0]!.x - pivot.x);
    const end0 = Math.atan2(to[0]!.y - pivot.y, to[0]!.x - pivot.x);
    let sweep = end0 - start0;
    while (sweep > Math.PI) sweep -= 2 * Math.PI;
    while (sweep < -Math.PI) sweep += 2 * Math.PI;
    // Just inside the moving end, so the arrow stays close to the limb (and off the floor).
    const inset = Math.min(0.12, Math.abs(sweep) / 6) * Math.sign(sweep);
    let radius = Math.max(dist(from[0]!, pivot), dist(to[0]!, pivot)) * 0.8 + 4;
    // An arc that would dip through the floor is drawn tighter instead.
    let lowest = -Infinity;
    for (let i = 0; i <= 12; i++) lowest = Math.max(lowest, Math.sin(start0 + inset + ((sweep - 2 * inset) * i) / 12));
    if (lowest > 0) radius = Math.max(12, Math.min(radius, (FLOOR - 5 - pivot.y) / lowest));
    if (Math.abs(sweep) > 0.2) return arcArrow(pivot, radius, start0 + inset, sweep - 2 * inset);
  }
  return besideArrow(from[0]!, to[0]!, bestDistance);
}

/** A straight arrow alongside a point's path, long enough to read even for a small movement. */
function besideArrow(from: Vec, to: Vec, distance: number): Shape[] {
  const d = unit(sub(to, from));
  const half = Math.max(9, distance / 2);
  const centre = add(mid(from, to), mul(perp(d), -12));
  return arrowAlong([sub(centre, mul(d, half)), add(centre, mul(d, half))]);
}

// ---------------------------------------------------------------------------------------------
// Props

interface Extent {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function extentOf(shapes: Iterable<Shape>): Extent {
  const e = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  for (const s of shapes) {
    const pad = s.type === 'circle' ? s.radius : s.type === 'line' ? s.stroke.width / 2 : 0;
    for (const p of pointsOf(s)) {
      e.minX = Math.min(e.minX, p.x - pad);
      e.maxX = Math.max(e.maxX, p.x + pad);
      e.minY = Math.min(e.minY, p.y - pad);
      e.maxY = Math.max(e.maxY, p.y + pad);
    }
  }
  return e;
}

function sideChair(backX: number, seatY: number, topY: number, towards: 1 | -1): Shape[] {
  const seatEnd = backX + towards * 28;
  return [
    line([vec(backX, topY), vec(backX, FLOOR)], COLOURS.wood, 3.5),
    line([vec(backX, seatY), vec(seatEnd, seatY)], COLOURS.wood, 4),
    line([vec(seatEnd, seatY), vec(seatEnd, FLOOR)], COLOURS.wood, 3.5),
  ];
}

function frontChair(centreX: number, seatY: number): Shape[] {
  return [
    rect(centreX - 16, seatY - 40, centreX + 16, seatY, COLOURS.woodLight, COLOURS.wood),
    rect(centreX - 22, seatY - 2, centreX + 22, seatY + 4, COLOURS.woodLight, COLOURS.wood),
    line([vec(centreX - 20, seatY + 4), vec(centreX - 20, FLOOR)], COLOURS.wood, 3.5),
    line([vec(centreX + 20, seatY + 4), vec(centreX + 20, FLOOR)], COLOURS.wood, 3.5),
  ];
}

function tableShapes(x0: number, x1: number, topY: number): Shape[] {
  const left = Math.min(x0, x1);
  const right = Math.max(x0, x1);
  return [
    line([vec(left + 4, topY), vec(left + 4, FLOOR)], COLOURS.wood, 3.5),
    line([vec(right - 4, topY), vec(right - 4, FLOOR)], COLOURS.wood, 3.5),
    rect(left, topY, right, topY + 5, COLOURS.woodLight, COLOURS.wood),
  ];
}

function ballShape(centre: Vec, radius: number, large: boolean): Shape[] {
  const shapes: Shape[] = [{ type: 'circle', centre, radius, fill: large ? COLOURS.ball : COLOURS.smallBall, stroke: { colour: COLOURS.ballEdge, width: 1.5 } }];
  if (large) shapes.push(line(quadratic(add(centre, vec(-radius * 0.7, -radius * 0.7)), add(centre, vec(radius * 0.1, -radius * 0.1)), add(centre, vec(radius * 0.7, radius * 0.7))), COLOURS.ballEdge, 1.2));
  return shapes;
}

const isAnchor = (to: PointName | BandAnchor): to is BandAnchor => to.startsWith('anchor_');

/** The far end of a band: a point of the figure, or a fixing a little way off. */
function bandEnd(k: Skeleton, from: Vec, to: PointName | BandAnchor): { at: Vec; anchor: boolean } {
  if (!isAnchor(to)) return { at: point(k, to), anchor: false };
  const anchors: Record<BandAnchor, Vec> = {
    anchor_left: vec(from.x - 55, from.y),
    anchor_right: vec(from.x + 55, from.y),
    anchor_up: vec(from.x, from.y - 50),
    anchor_low_left: vec(from.x - 45, FLOOR - 4),
    anchor_low_right: vec(from.x + 45, FLOOR - 4),
  };
  return { at: anchors[to], anchor: true };
}

interface Drawing {
  behind: Shape[];
  front: Shape[];
  /** The shapes of props that move with the body (held, tied to it, rolled or slid under it). */
  following: Set<Shape>;
}

/** Props carried along by the body; the others (furniture, the mat, a step) stay where they stand. */
const FOLLOWS_BODY: ReadonlySet<Prop['kind']> = new Set(['ball', 'dumbbell', 'band', 'towel']);

/** The props around the figure `k`; mats and tables reach under every position in `around` (all of a movement). */
function propShapes(pose: Pose, k: Skeleton, seat: Seat | null, around: readonly Skeleton[] = [k]): Drawing {
  const behind: Shape[] = [];
  const front: Shape[] = [];
  const following = new Set<Shape>();
  const figure = extentOf(around.flatMap(contacts).map((c): Shape => ({ type: 'circle', centre: c.at, radius: c.radius, fill: 'none' })));
  const awayFromBody = (x: number): 1 | -1 => (x >= k.pelvis.x ? 1 : -1);
  const props = pose.props ?? [];
  const frontView = k.view === 'front';

  const seatY = k.pelvis.y + trunkWidth(k.view) / 2;
  if (seat?.kind === 'chair') {
    behind.push(...(frontView ? frontChair(k.pelvis.x, seatY) : sideChair(k.pelvis.x - 15, seatY, seatY - 34, 1)));
  } else if (seat?.kind === 'table') {
    behind.push(...tableShapes(k.pelvis.x - 46, k.pelvis.x + 8, seatY));
  } else if (seat?.kind === 'stool') {
    behind.push(rect(k.pelvis.x - 14, seatY, k.pelvis.x + 14, FLOOR, COLOURS.woodLight, COLOURS.wood));
  }

  for (const p of props) {
    const [behindBefore, frontBefore] = [behind.length, front.length];
    switch (p.kind) {
      case 'chair': {
        if (!p.hold) break;
        const hold = point(k, p.hold);
        const towards = awayFromBody(hold.x);
        const seatY = FLOOR - SIZES.seat;
        behind.push(...sideChair(hold.x, seatY, Math.min(hold.y + 4, seatY - 12), towards));
        break;
      }
      case 'table': {
        if (p.hold) {
          const hold = point(k, p.hold);
          const towards = awayFromBody(hold.x);
          const onTowel = props.some((q) => q.kind === 'towel' && q.to === undefined && q.from === p.hold);
          behind.push(...tableShapes(hold.x - towards * 14, hold.x + towards * 42, Math.min(hold.y + (onTowel ? 9 : 4), FLOOR - 20)));
        } else if (LYING.has(pose.posture)) {
          behind.push(...tableShapes(figure.minX - 4, figure.maxX + 4, FLOOR - SIZES.table));
        }
        break;
      }
      case 'mat':
        behind.push(rect(figure.minX - 8, FLOOR - SIZES.mat, figure.maxX + 8, FLOOR, COLOURS.mat));
        break;
      case 'step': {
        const sides: Side[] = p.under === 'feet' ? ['near', 'far'] : [p.under === 'near_foot' ? 'near' : 'far'];
        const xs = sides.flatMap((s) => [k.legs[s].heel.x, k.legs[s].tip.x, k.legs[s].end.x]);
        behind.push(rect(Math.min(...xs) - 7, FLOOR - SIZES.step, Math.max(...xs) + 7, FLOOR, COLOURS.step, COLOURS.stepEdge));
        break;
      }
      case 'ball': {
        const at = point(k, p.at);
        const r = ballRadius(p);
        const offsets = { at: vec(0, 0), under: vec(0, r + 3), left: vec(-(r + 5), 0), right: vec(r + 5, 0) };
        const centre = add(at, offsets[p.place ?? 'at']);
        (p.size === 'large' ? behind : front).push(...ballShape(centre, r, p.size === 'large'));
        break;
      }
      case 'dumbbell': {
        const sides: Side[] = p.at === 'hands' ? ['near', 'far'] : [p.at === 'near_hand' ? 'near' : 'far'];
        for (const side of sides) {
          const a = k.arms[side];
          const c = point(k, `${side}_hand`);
          const along = unit(sub(a.end, a.middle));
          const across = perp(along);
          const target = side === 'far' && k.view === 'side' ? behind : front;
          target.push(line([sub(c, mul(across, 6)), add(c, mul(across, 6))], COLOURS.metal, 2.5));
          for (const end of [-6, 6]) {
            const e = add(c, mul(across, end));
            target.push(line([sub(e, mul(along, 4)), add(e, mul(along, 4))], COLOURS.metal, 4));
          }
        }
        break;
      }
      case 'band': {
        const a = point(k, p.from);
        const b = bandEnd(k, a, p.to);
        if (dist(a, b.at) < 8) {
          front.push({ type: 'circle', centre: mid(a, b.at), radius: 6, fill: 'none', stroke: { colour: COLOURS.band, width: 2.5 } });
        } else {
          front.push(line([a, b.at], COLOURS.band, 2.5));
        }
        if (b.anchor) front.push(rect(b.at.x - 3, b.at.y - 3, b.at.x + 3, b.at.y + 3, COLOURS.metal));
        break;
      }
      case 'towel': {
        const a = point(k, p.from);
        if (p.to) {
          const b = point(k, p.to);
          front.push(line(quadratic(a, add(mid(a, b), vec(0, 7)), b), COLOURS.towel, 5));
        } else if (isRolled(p.from)) {
          const r = 5;
          behind.push({ type: 'circle', centre: vec(a.x, a.y + 3 + r), radius: r, fill: COLOURS.towel, stroke: { colour: COLOURS.ballEdge, width: 1.2 } });
        } else {
          const sides: Side[] = p.from === 'feet' ? ['near', 'far'] : [p.from === 'near_foot' ? 'near' : 'far'];
          const pts = isFoot(p.from) ? sides.flatMap((s) => [k.legs[s].heel, k.legs[s].tip]) : [sub(a, vec(9, 0)), add(a, vec(9, 0))];
          const xs = pts.map((q) => q.x);
          const bottom = Math.max(...pts.map((q) => q.y)) + (p.from === 'head' ? BODY.headRadius : 3);
          behind.push(rect(Math.min(...xs) - 5, bottom, Math.max(...xs) + 5, bottom + 5, COLOURS.towel, COLOURS.ballEdge));
        }
        break;
      }
      case 'wall':
        break; // drawn last, against whatever is outermost
    }
    if (FOLLOWS_BODY.has(p.kind)) [...behind.slice(behindBefore), ...front.slice(frontBefore)].forEach((shape) => following.add(shape));
  }
  return { behind, front, following };
}

function wallShapes(side: 'left' | 'right', around: Extent): Shape[] {
  const top = Math.min(around.minY - 16, FLOOR - 120);
  return side === 'left'
    ? [rect(around.minX - 10, top, around.minX, FLOOR, COLOURS.wall, COLOURS.wallEdge)]
    : [rect(around.maxX, top, around.maxX + 10, FLOOR, COLOURS.wall, COLOURS.wallEdge)];
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function strokeAttrs(s: Stroke | undefined, k: number): string {
  if (!s) return '';
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  return ` stroke="${s.colour}" stroke-width="${fmt(s.width * k)}" stroke-linecap="round" stroke-linejoin="round"${dash}`;
}

/**
 * R-ENG-8: a two-pose exercise moves between its start and end pose. Parts that move are drawn twice:
 * a still copy (class `still`) and a moving copy (class `motion`, animated with SMIL). The picture's
 * own style sheet shows the moving copy, and the still one to people who prefer reduced motion, so
 * they see what everyone saw before: the end pose, the start drawn faintly and an arrow between them.
 * A viewer that runs neither CSS nor SMIL shows both copies in the end pose, on top of each other.
 */
const MOTION_STYLE = '.still{display:none}@media (prefers-reduced-motion: reduce){.still{display:inline}.motion{display:none}}';

type Variant = 'still' | 'motion';

/** Slowly: a hold at the start, the movement, a hold at the end and back again. */
const MOTION = { holdSeconds: 0.6, moveSeconds: 1.2, steps: 10 } as const;

/** Ease in and out: the movement starts and ends gently. */
const ease = (t: number): number => (1 - Math.cos(Math.PI * t)) / 2;

/** A cycle as (time, frame) pairs: frames 0..steps are the movement from start to end, evenly timed. */
function cycle(): { keyTimes: string; order: number[]; seconds: number } {
  const { holdSeconds: hold, moveSeconds: move, steps } = MOTION;
  const seconds = 2 * (hold + move);
  const times: number[] = [0, hold];
  const order: number[] = [0, 0];
  for (let i = 1; i <= steps; i++) {
    times.push(hold + (move * i) / steps);
    order.push(i);
  }
  times.push(2 * hold + move);
  order.push(steps);
  for (let i = 1; i <= steps; i++) {
    times.push(2 * hold + move + (move * i) / steps);
    order.push(steps - i);
  }
  const keyTimes = times.map((t, i) => (i === times.length - 1 ? '1' : String(Math.round((t / seconds) * 10_000) / 10_000))).join(';');
  return { keyTimes, order, seconds };
}

const CYCLE = cycle();

function animateAttr(attribute: string, frames: string[]): string {
  const values = CYCLE.order.map((i) => frames[i]!).join(';');
  return `<animate attributeName="${attribute}" values="${values}" keyTimes="${CYCLE.keyTimes}" dur="${CYCLE.seconds}s" calcMode="linear" repeatCount="indefinite"/>`;
}

function toSvg(s: Shape, place: (p: Vec) => Vec, k: number, variant?: Variant): string {
  const cls = variant ? ` class="${variant}"` : '';
  const pts = (ps: Vec[]) => ps.map((p) => place(p)).map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ');
  switch (s.type) {
    case 'line': {
      const halo = s.halo ? `<polyline points="${pts(s.points)}" fill="none"${strokeAttrs({ colour: COLOURS.background, width: s.stroke.width + 3 }, k)}${cls}/>` : '';
      return `${halo}<polyline points="${pts(s.points)}" fill="none"${strokeAttrs(s.stroke, k)}${cls}/>`;
    }
    case 'polygon':
      return `<polygon points="${pts(s.points)}" fill="${s.fill}"${strokeAttrs(s.stroke, k)}${cls}/>`;
    case 'circle': {
      const c = place(s.centre);
      return `<circle cx="${fmt(c.x)}" cy="${fmt(c.y)}" r="${fmt(s.radius * k)}" fill="${s.fill}"${strokeAttrs(s.stroke, k)}${cls}/>`;
    }
  }
}

/** Frames of one shape that can be animated into one another: the same kind of shape with as many points. */
function compatible(frames: readonly (Shape | undefined)[]): frames is Shape[] {
  const first = frames[0];
  if (!first) return false;
  return frames.every((f) => f !== undefined && f.type === first.type && pointsOf(f).length === pointsOf(first).length && (f.type !== 'line' || f.halo === (first as typeof f).halo));
}

/**
 * The moving copy of a shape through `frames` (the last is the end pose, which is also its resting
 * geometry), or null when it does not move once drawn.
 */
function toAnimatedSvg(frames: Shape[], place: (p: Vec) => Vec, k: number): string | null {
  const end = frames[frames.length - 1]!;
  const cls = ' class="motion"';
  const placed = (s: Shape) => pointsOf(s).map((p) => place(p)).map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ');
  switch (end.type) {
    case 'line':
    case 'polygon': {
      const all = frames.map(placed);
      if (all.every((f) => f === all[0])) return null;
      const animate = animateAttr('points', all);
      const base = all[all.length - 1]!;
      if (end.type === 'polygon') return `<polygon points="${base}" fill="${end.fill}"${strokeAttrs(end.stroke, k)}${cls}>${animate}</polygon>`;
      const halo = end.halo ? `<polyline points="${base}" fill="none"${strokeAttrs({ colour: COLOURS.background, width: end.stroke.width + 3 }, k)}${cls}>${animate}</polyline>` : '';
      return `${halo}<polyline points="${base}" fill="none"${strokeAttrs(end.stroke, k)}${cls}>${animate}</polyline>`;
    }
    case 'circle': {
      const centres = frames.map((f) => place((f as Extract<Shape, { type: 'circle' }>).centre));
      const xs = centres.map((c) => fmt(c.x));
      const ys = centres.map((c) => fmt(c.y));
      if (xs.every((x) => x === xs[0]) && ys.every((y) => y === ys[0])) return null;
      return `<circle cx="${xs[xs.length - 1]}" cy="${ys[ys.length - 1]}" r="${fmt(end.radius * k)}" fill="${end.fill}"${strokeAttrs(end.stroke, k)}${cls}>${animateAttr('cx', xs)}${animateAttr('cy', ys)}</circle>`;
    }
  }
}

function viewOf(pose: Pose): View {
  const views = POSTURE_VIEWS[pose.posture];
  return pose.view && views.includes(pose.view) ? pose.view : views[0]!;
}

function lerpAngles(a: Angles, b: Angles, t: number): Angles {
  const l = (x: number, y: number) => x * (1 - t) + y * t;
  const limb = <T extends Record<string, number>>(x: T, y: T): T => Object.fromEntries(Object.entries(x).map(([key, v]) => [key, l(v, y[key]!)])) as T;
  return {
    lean: l(a.lean, b.lean),
    neck: l(a.neck, b.neck),
    spine: l(a.spine, b.spine),
    nearArm: limb(a.nearArm, b.nearArm),
    farArm: limb(a.farArm, b.farArm),
    nearLeg: limb(a.nearLeg, b.nearLeg),
    farLeg: limb(a.farLeg, b.farLeg),
  };
}

/**
 * The figure through the movement, from the start (frame 0) to the end pose: the joint angles turn
 * gradually, so limbs swing round their joints rather than shrinking through a straight path, and
 * each frame rests on what carries it. `startCorrection` is how far the start was moved to line up
 * with the end; it fades out over the movement.
 */
function motionFrames(s: PostureSpec, view: View, from: Angles, to: Angles, level: (id: string) => number, startCorrection: number): Skeleton[] {
  const frames: Skeleton[] = [];
  for (let i = 0; i <= MOTION.steps; i++) {
    const t = ease(i / MOTION.steps);
    const raw = buildSkeleton(s, view, i === MOTION.steps ? to : lerpAngles(from, to, t));
    frames.push(shiftDown(raw, groundOffset(raw, level) + startCorrection * (1 - t)));
  }
  return frames;
}

export interface IllustrationOptions {
  title?: string;
  /** Only the still picture (for print): no movement even for a two-pose exercise. */
  still?: boolean;
}

/** One drawn piece of the picture: always shown, or, if it moves, a still copy and its frames. */
type Piece = { shape: Shape; variant?: Variant } | { shape: Shape; frames: Shape[] };

/**
 * Renders an exercise pose as a standalone SVG document (240 × 180). A pose with a start position
 * (`from`) moves between the two, or stays still for people who prefer reduced motion (R-ENG-8).
 */
export function renderIllustration(pose: Pose, opts: IllustrationOptions = {}): string {
  const view = viewOf(pose);
  const base = postureSpec(pose.posture, view);
  const props = pose.props ?? [];
  const level = supportLevels(pose.posture, props);
  const angles = merge(base.angles, pose);
  const solidRaw = buildSkeleton(base, view, angles);
  const solidDy = groundOffset(solidRaw, level);
  const solid = shiftDown(solidRaw, solidDy);
  let start: Skeleton | null = null;
  let frames: Skeleton[] = [];
  if (pose.from) {
    const startAngles = merge(angles, pose.from);
    const startRaw = buildSkeleton(base, view, startAngles);
    const startDy = groundOffset(startRaw, level);
    // A few units of difference is the resting point changing, not the body rising: keep the two aligned.
    const startShift = Math.abs(startDy - solidDy) < 4 ? solidDy : startDy;
    start = shiftDown(startRaw, startShift);
    if (!opts.still) frames = motionFrames(base, view, startAngles, angles, level, startShift - startDy);
  }
  const moves = frames.length > 0;

  const seat = seatOf(pose.posture, props);
  const figure = figureShapes(solid, base, 'solid');
  const ghost = start ? figureShapes(start, base, 'ghost') : new Map<string, Shape>();
  const ghostShapes = [...ghost].filter(([id, s]) => moved(s, figure.get(id))).map(([, s]) => s);
  const { behind, front, following } = propShapes(pose, solid, seat, moves ? frames : [solid]);
  const frameFigures = frames.map((f) => figureShapes(f, base, 'solid'));
  const frameProps = frames.map((f) => propShapes(pose, f, seat, frames));
  const motionArrows = start ? motionArrow(start, solid) : [];
  const cueArrows = pose.arrow ? cueArrow(solid, pose.arrow) : [];

  /** A shape that may move: with its frames when it does and they can be animated. */
  const piece = (shape: Shape, framesOf: () => (Shape | undefined)[]): Piece => {
    if (!moves) return { shape };
    const f = framesOf();
    return compatible(f) ? { shape, frames: f } : { shape };
  };
  const propPieces = (layer: 'behind' | 'front'): Piece[] => {
    const shapes = layer === 'behind' ? behind : front;
    return shapes.map((shape, i) => (following.has(shape) ? piece(shape, () => frameProps.map((d) => d[layer][i])) : { shape }));
  };
  const body = [...BACK_PARTS, ...FRONT_PARTS].flatMap((id): Piece[] => {
    const shape = figure.get(id);
    return shape ? [piece(shape, () => frameFigures.map((m) => m.get(id)))] : [];
  });
  const stillOnly = (shapes: Shape[]): Piece[] => shapes.map((shape) => (moves ? { shape, variant: 'still' } : { shape }));

  // A wall stands against whatever reaches furthest towards it: the body (all through its movement), a prop, a ball held against it.
  const everyFrame = (pieces: Piece[]) => pieces.flatMap((p) => ('frames' in p ? [p.shape, ...p.frames] : [p.shape]));
  const reach = extentOf([...behind, ...everyFrame(body), ...everyFrame(propPieces('front')).filter((s) => s.type === 'circle')]);
  const walls = props.flatMap((p) => (p.kind === 'wall' ? wallShapes(p.side, reach) : []));
  const layers: Piece[] = [
    ...walls.map((shape) => ({ shape })),
    ...propPieces('behind'),
    ...stillOnly(ghostShapes),
    ...body,
    ...propPieces('front'),
    // The moving figure shows its own direction; a cue (turning, pressing) is shown all the same.
    ...stillOnly(motionArrows),
    ...cueArrows.map((shape) => ({ shape })),
  ];

  // Frame: centre horizontally and shrink (never enlarge) to fit, keeping the floor where it is.
  const e = extentOf(everyFrame(layers));
  const scale = Math.min(1, (WIDTH - 2 * MARGIN) / Math.max(1, e.maxX - e.minX), (FLOOR - MARGIN) / Math.max(1, FLOOR - e.minY));
  const centreX = (e.minX + e.maxX) / 2;
  const place = (p: Vec): Vec => vec(WIDTH / 2 + (p.x - centreX) * scale, FLOOR - (FLOOR - p.y) * scale);

  const drawn = layers.map((p) => {
    if (!('frames' in p)) return { still: toSvg(p.shape, place, scale, p.variant), moving: null };
    const moving = toAnimatedSvg(p.frames, place, scale);
    return moving ? { still: toSvg(p.shape, place, scale, 'still'), moving } : { still: toSvg(p.shape, place, scale), moving: null };
  });
  const animated = drawn.some((d) => d.moving !== null);
  // Nothing visibly moves: the plain still picture, without the copies.
  const shapes = animated ? drawn.flatMap((d) => (d.moving ? [d.still, d.moving] : [d.still])) : layers.map((p) => toSvg(p.shape, place, scale));

  const title = escapeXml(opts.title?.trim() || 'Exercise illustration');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">`,
    `<title>${title}</title>`,
    ...(animated ? [`<style>${MOTION_STYLE}</style>`] : []),
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="${COLOURS.background}"/>`,
    `<rect x="0" y="${FLOOR}" width="${WIDTH}" height="${HEIGHT - FLOOR}" fill="${COLOURS.ground}"/>`,
    `<line x1="0" y1="${FLOOR}" x2="${WIDTH}" y2="${FLOOR}" stroke="${COLOURS.floorLine}" stroke-width="1.5"/>`,
    ...shapes,
    '</svg>',
  ].join('\n');
}
