/**
 * The input of the illustration generator (R-EXE-1): a figure described the way a physiotherapist
 * would describe it — a starting posture plus the joint angles that differ from it — and the props
 * the exercise uses. The drawing is a flat picture, so every angle is an angle in the picture.
 *
 * Angles are degrees. In the side view the figure faces right; "near" limbs are the ones on the
 * viewer's side (drawn solid), "far" limbs are behind them (drawn lighter). In the front view the
 * figure faces the viewer; "near" limbs are on the viewer's right (the upper side when lying on the
 * side), "far" limbs are their mirror image.
 */

/** The base position: it sets the orientation of the body, the resting angles and what carries the weight. */
export type Posture =
  | 'standing'
  | 'sitting' // on the chair, table or ball among the props
  | 'long_sitting' // on the floor, legs out straight
  | 'lying_back'
  | 'lying_front'
  | 'lying_side' // always drawn from the front: the upper limbs are the near ones
  | 'kneeling' // tall kneeling, both knees down
  | 'half_kneeling' // near foot forward, far knee down
  | 'four_point' // hands and knees
  | 'plank' // on forearms and toes
  | 'side_plank'; // on the far forearm, drawn from the front

export type View = 'side' | 'front';
export type Side = 'near' | 'far';

/**
 * Side view: 0 = hanging down along the trunk, positive = towards the front (flexion), so 90 points
 * straight ahead and 180 straight overhead. Front view: positive = away from the body (abduction).
 * `elbow` and `wrist` add to the segment before them (bending the elbow brings the hand forward/up).
 */
export interface ArmAngles {
  shoulder?: number;
  elbow?: number;
  wrist?: number;
}

/**
 * Measured like the arm's shoulder, but relative to the posture's body line rather than to a leaning
 * trunk, so a squat leans the trunk and bends the hips independently. `knee` is flexion (the shin
 * folds back), `ankle` is plantarflexion (positive points the toes; negative pulls them up).
 */
export interface LegAngles {
  hip?: number;
  knee?: number;
  ankle?: number;
}

export interface PoseAngles {
  /** Tilt of the upper body about the hips: side view + = forward, front view + = towards the near side. */
  lean?: number;
  /** Tilt of the head on the trunk: side view + = nodding forward, front view + = towards the near side. */
  neck?: number;
  /** Curve of the back from −1 (arched, hollow) to 1 (rounded). */
  spine?: number;
  nearArm?: ArmAngles;
  farArm?: ArmAngles;
  nearLeg?: LegAngles;
  farLeg?: LegAngles;
}

export type Joint = 'shoulder' | 'elbow' | 'hand' | 'hip' | 'knee' | 'foot';

/** A place on the figure that props and arrows attach to. */
export type PointName = 'head' | 'neck' | 'pelvis' | 'hands' | 'knees' | 'feet' | `${Side}_${Joint}`;

export type Direction = 'up' | 'down' | 'left' | 'right';

/** Where a band is tied when it is not held at both ends: beside the starting point, or low at the floor. */
export type BandAnchor = 'anchor_left' | 'anchor_right' | 'anchor_up' | 'anchor_low_left' | 'anchor_low_right';

export type Prop =
  /** The seat when sitting; otherwise a chair whose backrest the `hold` point rests on. */
  | { kind: 'chair'; hold?: PointName }
  /** Lain or sat on; or, with `hold`, a table top under that point. */
  | { kind: 'table'; hold?: PointName }
  | { kind: 'wall'; side: 'left' | 'right' }
  | { kind: 'step'; under: 'feet' | 'near_foot' | 'far_foot' }
  /** `under` makes the ball carry the point (sitting on it, feet on it); otherwise it sits beside the point. */
  | { kind: 'ball'; at: PointName; size: 'small' | 'large'; place?: 'at' | 'under' | 'left' | 'right' }
  | { kind: 'dumbbell'; at: 'near_hand' | 'far_hand' | 'hands' }
  | { kind: 'band'; from: PointName; to: PointName | BandAnchor }
  /** Held between two points, or, without `to`, rolled or folded under the point. */
  | { kind: 'towel'; from: PointName; to?: PointName }
  | { kind: 'mat' };

/**
 * `straight`: a push or slide; `turn`: a circle in the picture (circling a wrist or ankle, nodding);
 * `twist`: a flat loop around the limb or trunk, for turning about its own length (head, trunk, forearm).
 */
export type Arrow =
  | { kind: 'straight'; at: PointName; direction: Direction }
  | { kind: 'turn' | 'twist'; at: PointName; turn: 'clockwise' | 'anticlockwise' };

export interface Pose extends PoseAngles {
  posture: Posture;
  /**
   * Defaults to the side view. Standing, sitting and kneeling can also be drawn from the front;
   * lying on the side and the side plank are always drawn from the front; other postures ignore it.
   */
  view?: View;
  /** Where the movement starts, if it differs from the pose shown: drawn faintly, with an arrow to the pose. */
  from?: PoseAngles;
  /** A movement cue that the two positions cannot show (turning, sliding, walking). */
  arrow?: Arrow;
  props?: readonly Prop[];
}
