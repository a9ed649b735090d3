//! Plane geometry the loader needs: cutting a road polyline into slots, checking zone
//! polygons, and turning byte offsets into line numbers.

use nalgebra::{Point2, Vector2};
use parry2d_f64::shape::ConvexPolygon;

/// The most slots one road may be cut into; guards against absurd coordinates in a file
/// making the loader allocate without bound.
pub const MAX_ROAD_SLOTS: usize = 100_000;

/// How many smaller slot counts [`cut_polyline`] tries when bends make a chord too short.
const CUT_RETRIES: usize = 8;

/// Whether both coordinates are finite numbers.
pub(super) fn is_finite(point: &Point2<f64>) -> bool {
    point.x.is_finite() && point.y.is_finite()
}

/// Cuts a polyline into equal pieces by arc length and returns the inner cut points.
///
/// The piece count is the largest `n <= floor(length / min_slot_m)` whose straight chords
/// between consecutive cut points are all at least `min_slot_m` (a bend inside a piece makes
/// its chord shorter than its arc). When no count close to that works, the first attempt is
/// returned and the caller's lane check reports the short chord. `None` when the polyline
/// is longer than [`MAX_ROAD_SLOTS`] slots (or not finite).
pub(super) fn cut_polyline(points: &[Point2<f64>], min_slot_m: f64) -> Option<Vec<Point2<f64>>> {
    let length: f64 = points
        .windows(2)
        .map(|w| nalgebra::distance(&w[0], &w[1]))
        .sum();
    let slots = (length / min_slot_m).floor();
    if !(slots.is_finite() && slots <= MAX_ROAD_SLOTS as f64) {
        return None;
    }
    let most = (slots as usize).max(1);
    let fewest = most.saturating_sub(CUT_RETRIES).max(1);
    let chords_fit = |cuts: &[Point2<f64>]| {
        let ends = [points[0], points[points.len() - 1]];
        let all: Vec<_> = [ends[0]]
            .iter()
            .chain(cuts)
            .chain(&ends[1..])
            .copied()
            .collect();
        all.windows(2)
            .all(|w| nalgebra::distance(&w[0], &w[1]) + 1e-6 >= min_slot_m)
    };
    let first = cut_points(points, length, most);
    if chords_fit(&first) {
        return Some(first);
    }
    let fitting = (fewest..most)
        .rev()
        .map(|n| cut_points(points, length, n))
        .find(|c| chords_fit(c));
    Some(fitting.unwrap_or(first))
}

/// The `pieces - 1` points cutting the polyline into `pieces` pieces of equal arc length.
fn cut_points(points: &[Point2<f64>], length: f64, pieces: usize) -> Vec<Point2<f64>> {
    let step = length / pieces as f64;
    let mut cuts = Vec::with_capacity(pieces.saturating_sub(1));
    let mut walked = 0.0;
    for w in points.windows(2) {
        let segment = nalgebra::distance(&w[0], &w[1]);
        while cuts.len() + 1 < pieces && (cuts.len() + 1) as f64 * step <= walked + segment {
            let along = ((cuts.len() + 1) as f64 * step - walked) / segment;
            cuts.push(w[0] + (w[1] - w[0]) * along);
        }
        walked += segment;
    }
    cuts
}

/// A convex polygon from its corners in either winding, or `None` when there are fewer than
/// three corners, a corner is not finite, or the outline is not convex and simple.
///
/// Collinear corners are allowed (and dropped by parry).
pub(super) fn convex_polygon(corners: &[Point2<f64>]) -> Option<ConvexPolygon> {
    if corners.len() < 3 || !corners.iter().all(is_finite) {
        return None;
    }
    let n = corners.len();
    let edge = |i: usize| corners[(i + 1) % n] - corners[i % n];
    let (mut turning, mut left, mut right) = (0.0, false, false);
    for i in 0..n {
        let (a, b) = (edge(i), edge(i + 1));
        let cross = a.perp(&b);
        if cross.abs() > 1e-9 * a.norm() * b.norm() {
            left |= cross > 0.0;
            right |= cross < 0.0;
        }
        turning += signed_angle(&a, &b);
    }
    // one sense of turn only, and exactly one turn around (a pentagram turns twice)
    if left == right || (turning.abs() - std::f64::consts::TAU).abs() > 1e-6 {
        return None;
    }
    let mut points = corners.to_vec();
    if right {
        points.reverse();
    }
    ConvexPolygon::from_convex_polyline(points)
}

/// The angle turned from direction `a` to direction `b`, in (-pi, pi].
fn signed_angle(a: &Vector2<f64>, b: &Vector2<f64>) -> f64 {
    a.perp(b).atan2(a.dot(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(xy: &[[f64; 2]]) -> Vec<Point2<f64>> {
        xy.iter().map(|&[x, y]| Point2::new(x, y)).collect()
    }

    #[test]
    fn straight_road_is_cut_into_whole_slots() {
        let cuts = cut_polyline(&pts(&[[0.0, 0.0], [100.0, 0.0]]), 20.0).unwrap();
        assert_eq!(
            cuts,
            pts(&[[20.0, 0.0], [40.0, 0.0], [60.0, 0.0], [80.0, 0.0]])
        );
    }

    #[test]
    fn road_shorter_than_a_slot_has_no_cuts() {
        assert_eq!(
            cut_polyline(&pts(&[[0.0, 0.0], [15.0, 0.0]]), 20.0).unwrap(),
            vec![]
        );
    }

    #[test]
    fn sharp_bend_takes_fewer_slots_so_chords_stay_long() {
        let line = pts(&[[0.0, 0.0], [30.0, 0.0], [0.0, 1.0]]);
        let cuts = cut_polyline(&line, 20.0).unwrap();
        let all: Vec<_> = [line[0]].into_iter().chain(cuts).chain([line[2]]).collect();
        assert!(
            all.windows(2)
                .all(|w| nalgebra::distance(&w[0], &w[1]) >= 20.0 - 1e-6)
        );
    }

    #[test]
    fn absurdly_long_road_is_refused() {
        assert!(cut_polyline(&pts(&[[0.0, 0.0], [1e300, 0.0]]), 20.0).is_none());
        assert!(cut_polyline(&pts(&[[-1e308, 0.0], [1e308, 0.0]]), 20.0).is_none());
    }

    #[test]
    fn clockwise_square_is_accepted_and_contains_its_centre() {
        use parry2d_f64::math::Isometry;
        use parry2d_f64::query::PointQuery;
        let square = convex_polygon(&pts(&[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]));
        let square = square.unwrap();
        assert!(square.contains_point(&Isometry::identity(), &Point2::new(0.5, 0.5)));
    }

    #[test]
    fn dented_and_star_polygons_are_refused() {
        let dented = pts(&[[0.0, 0.0], [2.0, 0.0], [1.0, 0.5], [2.0, 2.0], [0.0, 2.0]]);
        assert!(convex_polygon(&dented).is_none());
        let star: Vec<_> = (0..5)
            .map(|k| {
                let angle = k as f64 * 4.0 * std::f64::consts::PI / 5.0;
                Point2::new(angle.cos(), angle.sin())
            })
            .collect();
        assert!(convex_polygon(&star).is_none());
        assert!(convex_polygon(&pts(&[[0.0, 0.0], [1.0, 0.0]])).is_none());
        assert!(convex_polygon(&pts(&[[0.0, 0.0], [1.0, 0.0], [f64::NAN, 1.0]])).is_none());
    }
}
