//! Joining the fleet: an AGV id is taken once, and only at a waypoint of the yard.

use fleet::{AgvId, FleetConfig, FleetCore, FleetError};
use maps::WaypointId;

use crate::vehicles::{huu_nghi, waypoint};

#[test]
fn add_agv_refuses_duplicates_and_unknown_waypoints() {
    let yard = huu_nghi();
    let park = waypoint(&yard, "vn-park-01");
    let beyond = WaypointId(u32::try_from(yard.waypoint_count()).expect("a small yard"));
    let mut core = FleetCore::new(yard.clone(), FleetConfig::default()).expect("a border yard");
    core.add_agv(AgvId(1), park, 0.9)
        .expect("a new AGV at a known waypoint");

    let duplicate = core.add_agv(AgvId(1), park, 0.9);
    let unknown = core.add_agv(AgvId(2), beyond, 0.9);

    assert_eq!(duplicate, Err(FleetError::DuplicateAgv { agv: AgvId(1) }));
    let yard_name = yard.name().to_owned();
    assert_eq!(
        unknown,
        Err(FleetError::UnknownWaypoint {
            waypoint: beyond,
            yard: yard_name
        })
    );
    assert_eq!(core.work().keys().copied().collect::<Vec<_>>(), [AgvId(1)]);
}

#[test]
fn yard_whose_places_cannot_reach_each_other_is_refused() {
    // the Hữu Nghị yard without its import road into Vietnam: nothing comes back from China
    let text: String = maps::yard_file::HUU_NGHI
        .lines()
        .filter(|line| !line.contains(r#"name = "import-vn""#))
        .collect::<Vec<_>>()
        .join("\n");
    let yard = maps::yard_file::parse(&text, "no-import-road.toml").expect("still a valid file");
    let err = FleetCore::new(std::sync::Arc::new(yard), FleetConfig::default())
        .err()
        .expect("a yard that cannot run missions");
    assert!(
        matches!(err, FleetError::Site(fleet::SiteError::Unreachable { .. })),
        "{err}"
    );
}
