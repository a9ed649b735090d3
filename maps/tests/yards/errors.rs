//! Yard files with one fault each: the refusal names the file, the line and the entry.

use maps::YardError;
use maps::yard_file::{Problem, YardFileError, load, load_builtin, parse};

/// A valid yard; each test spoils one line. Line numbers are those of this text.
const GOOD: &str = r#"name = "fixture"
waypoints = [
    { name = "a", kind = "lane_slot", at = [-100.0, 0.0] },
    { name = "b", kind = "crane_slot", at = [-70.0, 0.0] },
    { name = "c", kind = "gate_booth", at = [-40.0, 0.0] },
]
lanes = [
    { path = ["a", "b", "c"], speed_mps = 4.0 },
]
cranes = [ { name = "crane-1", side = "vn", slots = ["b"] } ]
zones = [
    { name = "z", kind = "gate", polygon = [[-50, -5], [-30, -5], [-30, 5], [-50, 5]] },
]
[agv]
length_m = 15.0
"#;

/// `GOOD` with line `n` (1-based) replaced.
fn with_line(n: usize, replacement: &str) -> String {
    let mut lines: Vec<&str> = GOOD.lines().collect();
    lines[n - 1] = replacement;
    lines.join("\n")
}

fn refusal(text: &str) -> YardFileError {
    parse(text, "yards/bad.toml").expect_err("the fixture should be refused")
}

/// What is wrong with an entry, for a refusal that is about one.
fn problem(err: &YardFileError) -> &Problem {
    match err {
        YardFileError::Invalid { problem, .. } => problem,
        other => panic!("not an entry refusal: {other}"),
    }
}

#[test]
fn fixture_is_valid() {
    let yard = parse(GOOD, "yards/good.toml").unwrap();
    assert_eq!((yard.waypoint_count(), yard.lane_count()), (3, 2));
}

#[test]
fn malformed_toml_names_the_line() {
    let err = refusal(&with_line(
        4,
        r#"    { name = "b", kind = "crane_slot", at = [-70.0, 0.0 },"#,
    ));
    assert!(matches!(err, YardFileError::Toml { line: 4, .. }), "{err}");
    assert!(
        err.to_string().starts_with("yards/bad.toml: line 4: "),
        "{err}"
    );
}

#[test]
fn unknown_waypoint_in_a_lane_names_the_line_and_the_name() {
    let text = with_line(8, r#"    { path = ["a", "zz"], speed_mps = 4.0 },"#);
    let err = refusal(&text);
    assert_eq!(
        err.to_string(),
        "yards/bad.toml: line 8: lane from `a` to `zz`: unknown waypoint `zz`"
    );
}

#[test]
fn lane_shorter_than_an_agv_plus_gap_is_refused_with_its_line() {
    let text = with_line(
        5,
        r#"    { name = "c", kind = "gate_booth", at = [-60.0, 0.0] },"#,
    );
    let err = refusal(&text);
    assert_eq!(err.line(), Some(8), "{err}");
    let YardFileError::Invalid { item, problem, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(item, "lane from `b` to `c`");
    assert!(
        matches!(**problem, Problem::Yard(YardError::ShortLane { .. })),
        "{err}"
    );
}

#[test]
fn unknown_waypoint_kind_names_the_line_and_the_kind() {
    let err = refusal(&with_line(
        3,
        r#"    { name = "a", kind = "dock", at = [-100.0, 0.0] },"#,
    ));
    assert_eq!(err.line(), Some(3), "{err}");
    assert!(err.to_string().contains("`dock`"), "{err}");
}

#[test]
fn unknown_zone_kind_is_refused() {
    let text = with_line(
        12,
        r#"    { name = "z", kind = "moat", polygon = [[0, 0], [1, 0], [0, 1]] },"#,
    );
    assert_eq!(refusal(&text).line(), Some(12));
}

#[test]
fn unknown_key_names_the_line() {
    let err = refusal(&with_line(
        8,
        r#"    { path = ["a", "b", "c"], speed = 4.0 },"#,
    ));
    assert_eq!(err.line(), Some(8), "{err}");
    assert!(err.to_string().contains("speed"), "{err}");
    let err = refusal(&with_line(15, "length = 15.0"));
    assert_eq!(err.line(), Some(15), "{err}");
}

#[test]
fn non_convex_zone_is_refused_with_its_line() {
    let dented =
        r#"    { name = "z", kind = "gate", polygon = [[0, 0], [4, 0], [1, 1], [4, 4], [0, 4]] },"#;
    let err = refusal(&with_line(12, dented));
    assert_eq!(err.line(), Some(12), "{err}");
    assert!(
        err.to_string()
            .contains("zone `z`: zone `z` is not a convex polygon"),
        "{err}"
    );
}

#[test]
fn duplicate_waypoint_is_refused_with_the_second_line() {
    let err = refusal(&with_line(
        4,
        r#"    { name = "a", kind = "crane_slot", at = [-70.0, 0.0] },"#,
    ));
    assert_eq!(err.line(), Some(4), "{err}");
    assert!(err.to_string().contains("`a` is defined twice"), "{err}");
}

#[test]
fn crane_naming_a_waypoint_that_is_no_crane_slot_is_refused() {
    let err = refusal(&with_line(
        10,
        r#"cranes = [ { name = "crane-1", side = "vn", slots = ["c"] } ]"#,
    ));
    assert_eq!(err.line(), Some(10), "{err}");
    assert!(err.to_string().contains("it is not a crane slot"), "{err}");
    let err = refusal(&with_line(
        10,
        r#"cranes = [ { name = "crane-1", side = "cn", slots = ["b"] } ]"#,
    ));
    assert!(err.to_string().contains("it is in Vietnam"), "{err}");
    let err = refusal(&with_line(
        10,
        r#"cranes = [ { name = "crane-1", side = "vn", slots = [] } ]"#,
    ));
    assert_eq!(problem(&err), &Problem::NoSlots);
}

#[test]
fn nan_coordinate_is_refused() {
    let err = refusal(&with_line(
        3,
        r#"    { name = "a", kind = "lane_slot", at = [nan, 0.0] },"#,
    ));
    assert_eq!(err.line(), Some(3));
    assert!(matches!(problem(&err), Problem::NotFinite { .. }), "{err}");
}

#[test]
fn absurdly_long_road_is_refused() {
    let road =
        r#"roads = [ { name = "r", from = "a", to = "c", via = [[1e200, 0]], speed_mps = 6 } ]"#;
    let err = refusal(&with_line(10, road));
    assert!(
        matches!(problem(&err), Problem::RoadTooLong { .. }),
        "{err}"
    );
}

#[test]
fn road_slot_name_clashing_with_a_waypoint_is_refused() {
    let text = GOOD
        .replace("name = \"c\"", "name = \"r-001\"")
        .replace("\"c\"]", "\"r-001\"]")
        + "\n";
    let text = text.replacen(
        "lanes = [",
        "roads = [ { name = \"r\", from = \"a\", to = \"b\", \
        via = [[-100, 40]], speed_mps = 4.0 } ]\nlanes = [",
        1,
    );
    let err = refusal(&text);
    assert!(
        err.to_string()
            .contains("road `r`: waypoint `r-001` is defined twice"),
        "{err}"
    );
}

#[test]
fn unknown_builtin_yard_is_reported() {
    let err = load_builtin("nowhere").unwrap_err();
    assert!(
        matches!(&err, YardFileError::UnknownYard { name } if name == "nowhere"),
        "{err}"
    );
}

#[test]
fn missing_file_is_an_io_error() {
    let err = load("/nonexistent/yard.toml").unwrap_err();
    assert!(matches!(err, YardFileError::Io { .. }), "{err}");
}

#[test]
fn truncated_and_mangled_files_are_refused_without_panicking() {
    let text = maps::yard_file::TAN_THANH;
    let cuts = (0..text.len())
        .step_by(41)
        .filter(|&i| text.is_char_boundary(i));
    for cut in cuts {
        let _ = parse(&text[..cut], "cut.toml");
    }
    for n in 1..=GOOD.lines().count() {
        for junk in ["", "[", "x = ", "waypoints = 3", "]]", "{ name = 1 }"] {
            let _ = parse(&with_line(n, junk), "junk.toml");
        }
    }
}
