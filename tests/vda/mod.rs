//! `gatefleet serve` and `gatefleet agv` as separate processes on loopback, speaking VDA 5050
//! over Zenoh: container moves carried out end to end, footprints checked from what the
//! vehicles report, and a vehicle killed and restarted mid-order.
//!
//! The processes run at a time scale (core and vehicles alike), so that a morning's worth
//! of moves takes minutes. Every test uses its own ports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fleet::FleetEvent;
use manager::{FleetStatus, MoveSubmission, SubmitReply};
use nalgebra::{Isometry2, Vector2};
use parry2d_f64::query;
use parry2d_f64::shape::Cuboid;
use transport::{Inbox, LinkConfig};
use vda5050::{State, Visualization};
use zenoh::Wait;

use crate::support::{Scratch, scratch};

const SITE: &str = "huu-nghi";
/// Core and vehicle seconds per wall second.
const TIME_SCALE: &str = "40";

/// The manager and vehicle processes of one test, killed when dropped.
struct Processes {
    endpoint: String,
    /// Where the test's own session listens: vehicles connect to it too, since peers do
    /// not forward each other's messages.
    watch_endpoint: String,
    dir: PathBuf,
    serve: Option<Child>,
    agvs: BTreeMap<String, Child>,
}

impl Processes {
    fn serve(dir: &Path, port: u16) -> Self {
        let endpoint = format!("tcp/127.0.0.1:{port}");
        let watch_endpoint = format!("tcp/127.0.0.1:{}", port + 1);
        let serve = Command::new(env!("CARGO_BIN_EXE_gatefleet"))
            .args(["serve", "--listen", &endpoint, "--time-scale", TIME_SCALE])
            .args(["--tick-ms", "50"])
            .env("RUST_LOG", log_filter())
            .stdout(Stdio::null())
            .stderr(log_file(dir, "serve"))
            .spawn()
            .expect("gatefleet serve starts");
        Self {
            endpoint,
            watch_endpoint,
            dir: dir.to_owned(),
            serve: Some(serve),
            agvs: BTreeMap::new(),
        }
    }

    fn agv(&mut self, serial: &str, at: &str) {
        let pose = self.dir.join(format!("{serial}.pose.json"));
        let child = Command::new(env!("CARGO_BIN_EXE_gatefleet"))
            .args([
                "agv",
                "--serial",
                serial,
                "--at",
                at,
                "--connect",
                &self.endpoint,
                "--connect",
                &self.watch_endpoint,
            ])
            .args(["--time-scale", TIME_SCALE, "--visualization-hz", "40"])
            .arg("--pose-file")
            .arg(&pose)
            .env("RUST_LOG", log_filter())
            .stdout(Stdio::null())
            .stderr(log_file(&self.dir, serial))
            .spawn()
            .expect("gatefleet agv starts");
        self.agvs.insert(serial.to_owned(), child);
    }

    /// Kills a vehicle's process at once, as a power cut would.
    fn kill(&mut self, serial: &str) {
        if let Some(mut child) = self.agvs.remove(serial) {
            child.kill().expect("the vehicle process can be killed");
            child.wait().expect("the killed vehicle is reaped");
        }
    }

    /// The warnings and errors the processes logged, one line each, prefixed by the
    /// process; a panic anywhere fails the test.
    fn warnings(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "log") {
                let name = path.file_stem().unwrap_or_default().to_string_lossy();
                let body = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(!body.contains("panicked"), "{name} panicked:\n{body}");
                for line in body
                    .lines()
                    .filter(|l| l.contains("WARN") || l.contains("ERROR"))
                {
                    lines.push(format!("{name}: {line}"));
                }
            }
        }
        lines
    }

    /// What the processes wrote on stderr, for a failing assertion.
    fn logs(&self) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "log") {
                let body = std::fs::read_to_string(&path).unwrap_or_default();
                let tail: Vec<&str> = body.lines().rev().take(30).collect();
                text.push_str(&format!("--- {}\n", path.display()));
                for line in tail.into_iter().rev() {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
        text
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.agvs.values_mut().chain(self.serve.as_mut()) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The processes' log filter: warnings, unless `GATEFLEET_TEST_LOG` says otherwise (e.g.
/// `manager=debug,hil=debug` to follow every order).
fn log_filter() -> String {
    std::env::var("GATEFLEET_TEST_LOG").unwrap_or_else(|_| "warn".into())
}

fn log_file(dir: &Path, name: &str) -> std::fs::File {
    std::fs::File::create(dir.join(format!("{name}.log"))).expect("the scratch folder is writable")
}

/// The test's own view of the site: states, visualizations and fleet events.
struct Watch {
    session: zenoh::Session,
    states: Inbox<State>,
    views: Inbox<Visualization>,
    events: zenoh::pubsub::Subscriber<zenoh::handlers::FifoChannelHandler<zenoh::sample::Sample>>,
    /// Every VDA 5050 message on the site, whoever sent it, for the schema check.
    all: zenoh::pubsub::Subscriber<zenoh::handlers::FifoChannelHandler<zenoh::sample::Sample>>,
    schemas: Schemas,
    start: Instant,
    /// Per vehicle, its poses in arrival order: (wall seconds since start, x, y, theta).
    poses: BTreeMap<String, Vec<(f64, f64, f64, f64)>>,
    /// Per vehicle, its last state.
    last: BTreeMap<String, State>,
    completed: BTreeSet<u64>,
}

impl Watch {
    fn connect(processes: &Processes) -> Self {
        let link = LinkConfig {
            listen: vec![processes.watch_endpoint.clone()],
            connect: vec![processes.endpoint.clone()],
        };
        let session = link.open().expect("a test session opens");
        let states = Inbox::<State>::from_all(&session, SITE).expect("states subscribed");
        let views = Inbox::<Visualization>::from_all(&session, SITE).expect("views subscribed");
        let events = session
            .declare_subscriber(format!("{SITE}/fleet/events"))
            .wait()
            .expect("events subscribed");
        let all = session
            .declare_subscriber(format!("{SITE}/uagv/v2/*/*/*"))
            .wait()
            .expect("every topic subscribed");
        Self {
            session,
            states,
            views,
            events,
            all,
            schemas: Schemas::default(),
            start: Instant::now(),
            poses: BTreeMap::new(),
            last: BTreeMap::new(),
            completed: BTreeSet::new(),
        }
    }

    fn ask<T: serde::de::DeserializeOwned>(&self, what: &str, body: Option<Vec<u8>>) -> Option<T> {
        let mut get = self
            .session
            .get(format!("{SITE}/fleet/{what}"))
            .timeout(Duration::from_millis(500));
        if let Some(body) = body {
            get = get.payload(body);
        }
        let replies = get.wait().ok()?;
        let reply = replies.recv().ok()?;
        let sample = reply.result().ok()?;
        serde_json::from_slice(&sample.payload().to_bytes()).ok()
    }

    fn status(&self) -> Option<FleetStatus> {
        self.ask("status", None)
    }

    fn submit(&self, container: &str, direction: fleet::Direction) -> u64 {
        let body = serde_json::to_vec(&MoveSubmission {
            container: container.into(),
            direction,
            reefer: false,
            customs: fleet::Clearance::Released,
        })
        .expect("a move writes as JSON");
        for _ in 0..10 {
            if let Some(reply) = self.ask::<SubmitReply>("moves", Some(body.clone())) {
                return reply
                    .mission
                    .unwrap_or_else(|| panic!("{container} refused: {:?}", reply.error));
            }
        }
        panic!("the manager did not answer the submission of {container}");
    }

    /// Takes what arrived, for at most `wait`.
    fn pump(&mut self, wait: Duration) {
        let until = Instant::now() + wait;
        loop {
            let mut any = false;
            while let Some((name, view)) = self.views.next(Duration::ZERO) {
                any = true;
                let view = view.expect("visualizations are valid VDA 5050");
                if let Some(p) = view.agv_position {
                    let t = self.start.elapsed().as_secs_f64();
                    self.poses
                        .entry(name.serial)
                        .or_default()
                        .push((t, p.x, p.y, p.theta));
                }
            }
            while let Some((name, state)) = self.states.next(Duration::ZERO) {
                any = true;
                let state = state.expect("states are valid VDA 5050");
                if let Some(p) = &state.agv_position {
                    let t = self.start.elapsed().as_secs_f64();
                    self.poses
                        .entry(name.serial.clone())
                        .or_default()
                        .push((t, p.x, p.y, p.theta));
                }
                self.last.insert(name.serial, state);
            }
            while let Ok(Some(sample)) = self.all.try_recv() {
                any = true;
                let key = sample.key_expr().as_str();
                let topic = key.rsplit('/').next().unwrap_or_default().to_owned();
                self.schemas
                    .check(&topic, key, &sample.payload().to_bytes());
            }
            while let Ok(Some(sample)) = self.events.try_recv() {
                any = true;
                let event: FleetEvent = serde_json::from_slice(&sample.payload().to_bytes())
                    .expect("fleet events are JSON");
                if let FleetEvent::MissionCompleted { mission, .. } = event {
                    self.completed.insert(mission.0);
                }
            }
            if Instant::now() >= until {
                return;
            }
            if !any {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    /// Waits until `done` holds, pumping; false when `limit` passed first.
    fn until(&mut self, limit: Duration, mut done: impl FnMut(&mut Self) -> bool) -> bool {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            self.pump(Duration::from_millis(100));
            if done(self) {
                return true;
            }
        }
        false
    }

    fn joined(&self) -> usize {
        self.status()
            .map_or(0, |s| s.vehicles.iter().filter(|v| v.connected).count())
    }
}

/// The official VDA 5050 2.1.0 schemas, and what was checked against them.
#[derive(Default)]
struct Schemas {
    validators: BTreeMap<String, jsonschema::Validator>,
    /// Messages checked, per topic.
    checked: BTreeMap<String, usize>,
    /// The first violations found, as `key: path: reason`.
    errors: Vec<String>,
}

impl Schemas {
    fn check(&mut self, topic: &str, key: &str, payload: &[u8]) {
        let validator = self.validators.entry(topic.to_owned()).or_insert_with(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data/vda5050/v2.1.0")
                .join(format!("{topic}.schema"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("no schema for topic {topic} ({path:?}): {e}"));
            let schema: serde_json::Value =
                serde_json::from_str(&text).expect("the official schema is JSON");
            jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("the official schema compiles")
        });
        *self.checked.entry(topic.to_owned()).or_default() += 1;
        let json: serde_json::Value = match serde_json::from_slice(payload) {
            Ok(json) => json,
            Err(e) => {
                self.errors.push(format!("{key}: not JSON: {e}"));
                return;
            }
        };
        if self.errors.len() < 20 {
            for error in validator.iter_errors(&json) {
                self.errors
                    .push(format!("{key}: {}: {error}", error.instance_path()));
            }
        }
    }

    /// Fails on any violation; says what was checked.
    fn assert_all_valid(&self) {
        eprintln!("checked against the 2.1.0 schemas: {:?}", self.checked);
        assert!(
            self.errors.is_empty(),
            "messages break the official schemas:\n{}",
            self.errors.join("\n")
        );
        for topic in [
            "order",
            "instantActions",
            "state",
            "visualization",
            "connection",
            "factsheet",
        ] {
            assert!(
                self.checked.get(topic).is_some_and(|&n| n > 0),
                "no {topic} message seen: {:?}",
                self.checked
            );
        }
    }
}

/// A vehicle's pose at wall time `t`, between its two nearest samples.
fn pose_at(samples: &[(f64, f64, f64, f64)], t: f64) -> Option<Isometry2<f64>> {
    let after = samples.partition_point(|s| s.0 < t);
    let (a, b) = (samples.get(after.checked_sub(1)?)?, samples.get(after)?);
    // a vehicle unseen for long (killed) has no pose there
    if b.0 - a.0 > 0.5 {
        return None;
    }
    let k = if b.0 > a.0 {
        (t - a.0) / (b.0 - a.0)
    } else {
        0.0
    };
    let x = a.1 + (b.1 - a.1) * k;
    let y = a.2 + (b.2 - a.2) * k;
    let theta = if k < 0.5 { a.3 } else { b.3 };
    Some(Isometry2::new(Vector2::new(x, y), theta))
}

/// Pairs of vehicles whose footprints overlapped, checked at every pose any vehicle
/// reported, against the others' poses at that moment; and the closest centres seen.
fn footprint_overlaps(poses: &BTreeMap<String, Vec<(f64, f64, f64, f64)>>) -> (Vec<String>, f64) {
    let footprint = maps::AgvFootprint::default();
    let body = Cuboid::new(Vector2::new(
        footprint.length_m / 2.0,
        footprint.width_m / 2.0,
    ));
    let mut overlaps = Vec::new();
    let mut closest = f64::INFINITY;
    let names: Vec<&String> = poses.keys().collect();
    for (i, a) in names.iter().enumerate() {
        for &(t, x, y, theta) in &poses[*a] {
            let pose_a = Isometry2::new(Vector2::new(x, y), theta);
            for b in names.iter().skip(i + 1) {
                let Some(pose_b) = pose_at(&poses[*b], t) else {
                    continue;
                };
                let gap = (pose_a.translation.vector - pose_b.translation.vector).norm();
                closest = closest.min(gap);
                if query::intersection_test(&pose_a, &body, &pose_b, &body).unwrap_or(false) {
                    overlaps.push(format!(
                        "{a} and {b} at t={t:.2}s: ({x:.1},{y:.1}) gap {gap:.1} m"
                    ));
                }
            }
        }
    }
    (overlaps, closest)
}

fn start(test: &str, port: u16, agvs: &[(&str, &str)]) -> (Scratch, Processes, Watch) {
    let dir = scratch(test);
    let mut processes = Processes::serve(&dir, port);
    // the watch first: the vehicles connect to it as they start
    let mut watch = Watch::connect(&processes);
    // our manager answers, and is still alive: a port taken by another run's manager would
    // mix two fleets with the same serials
    let up = watch.until(Duration::from_secs(10), |w| w.status().is_some());
    std::thread::sleep(Duration::from_millis(200));
    let serve_exited = processes
        .serve
        .as_mut()
        .and_then(|s| s.try_wait().ok().flatten());
    assert!(
        up && serve_exited.is_none(),
        "gatefleet serve did not come up on port {port} (exit {serve_exited:?}):\n{}",
        processes.logs()
    );
    for (serial, at) in agvs {
        processes.agv(serial, at);
    }
    let all = agvs.len();
    let joined = watch.until(Duration::from_secs(30), |w| w.joined() == all);
    assert!(joined, "not every vehicle joined:\n{}", processes.logs());
    (dir, processes, watch)
}

#[test]
fn five_agv_processes_carry_twenty_moves_without_footprints_touching() {
    let agvs = [
        ("agv-1", "vn-park-01"),
        ("agv-2", "vn-park-02"),
        ("agv-3", "vn-park-03"),
        ("agv-4", "vn-park-04"),
        ("agv-5", "vn-park-05"),
    ];
    let (_dir, processes, mut watch) = start("vda-five", 17501, &agvs);
    // the manager asked each vehicle for its factsheet as it joined
    let described = watch.until(Duration::from_secs(10), |w| {
        w.status()
            .is_some_and(|s| s.vehicles.iter().all(|v| v.series.is_some()))
    });
    assert!(described, "factsheets missing: {:?}", watch.status());
    let mut missions = BTreeSet::new();
    for k in 0..20 {
        let direction = if k % 2 == 0 {
            fleet::Direction::Export
        } else {
            fleet::Direction::Import
        };
        missions.insert(watch.submit(&format!("c{}", 100 + k), direction));
    }
    assert_eq!(missions.len(), 20);
    let done = watch.until(Duration::from_secs(600), |w| {
        missions.is_subset(&w.completed)
    });
    assert!(
        done,
        "{} of 20 moves completed; status {:?}\n{}",
        watch.completed.len(),
        watch.status(),
        processes.logs()
    );
    let (overlaps, closest) = footprint_overlaps(&watch.poses);
    let samples: usize = watch.poses.values().map(Vec::len).sum();
    eprintln!("{samples} poses checked, closest centres {closest:.1} m");
    assert!(samples > 1000, "too few poses to judge: {samples}");
    assert!(
        overlaps.is_empty(),
        "footprints overlapped:\n{}",
        overlaps.join("\n")
    );
    watch.schemas.assert_all_valid();
    for line in processes.warnings() {
        eprintln!("{line}");
    }
}

#[test]
fn a_killed_agv_is_seen_gone_keeps_its_base_and_resumes_after_a_restart() {
    let agvs = [
        ("agv-1", "vn-park-01"),
        ("agv-2", "vn-park-02"),
        ("agv-3", "vn-park-03"),
    ];
    let (_dir, mut processes, mut watch) = start("vda-kill", 17511, &agvs);
    let mut missions = BTreeSet::new();
    for k in 0..4 {
        missions.insert(watch.submit(&format!("c{}", 200 + k), fleet::Direction::Export));
    }
    // wait until agv-1 is driving with a released node ahead of it
    let driving = watch.until(Duration::from_secs(60), |w| {
        w.last.get("agv-1").is_some_and(|s| {
            s.driving && s.node_states.iter().any(|n| n.released) && !s.order_id.is_empty()
        })
    });
    assert!(driving, "agv-1 never drove:\n{}", processes.logs());
    let before = watch.last["agv-1"].clone();
    let mut reserved: BTreeSet<String> = before
        .node_states
        .iter()
        .filter(|n| n.released)
        .map(|n| n.node_id.clone())
        .collect();
    reserved.insert(before.last_node_id.clone());
    processes.kill("agv-1");
    let killed = Instant::now();
    let seen = watch.until(Duration::from_secs(5), |w| {
        w.status().is_some_and(|s| {
            s.vehicles
                .iter()
                .any(|v| v.serial == "agv-1" && !v.connected)
        })
    });
    let seen_after = killed.elapsed();
    assert!(
        seen,
        "the manager never saw agv-1 gone:\n{}",
        processes.logs()
    );
    assert!(
        seen_after < Duration::from_secs(3),
        "seen gone after {seen_after:?}"
    );

    // while it is gone, nobody else reaches or is released its reserved nodes
    let mut intruders = Vec::new();
    let quiet_until = Instant::now() + Duration::from_secs(4);
    while Instant::now() < quiet_until {
        watch.pump(Duration::from_millis(50));
        for (serial, state) in &watch.last {
            if serial == "agv-1" {
                continue;
            }
            let held = std::iter::once(&state.last_node_id).chain(
                state
                    .node_states
                    .iter()
                    .filter(|n| n.released)
                    .map(|n| &n.node_id),
            );
            for node in held {
                if reserved.contains(node) {
                    intruders.push(format!("{serial} holds {node}"));
                }
            }
        }
    }
    assert!(
        intruders.is_empty(),
        "the lost vehicle's base was entered: {intruders:?}"
    );

    // restarted with the same serial (and its pose file): it is back and resumes
    processes.agv("agv-1", "vn-park-01");
    let back = watch.until(Duration::from_secs(10), |w| {
        w.status().is_some_and(|s| {
            s.vehicles
                .iter()
                .any(|v| v.serial == "agv-1" && v.connected)
        })
    });
    assert!(back, "agv-1 did not come back:\n{}", processes.logs());
    let resumed = watch.until(Duration::from_secs(20), |w| {
        w.last
            .get("agv-1")
            .is_some_and(|s| s.order_id != before.order_id && !s.order_id.is_empty())
    });
    assert!(
        resumed,
        "agv-1 got no order after its restart:\n{}",
        processes.logs()
    );
    let done = watch.until(Duration::from_secs(400), |w| {
        missions.is_subset(&w.completed)
    });
    assert!(
        done,
        "{} of 4 moves completed after the restart; status {:?}\n{}",
        watch.completed.len(),
        watch.status(),
        processes.logs()
    );
    let (overlaps, _) = footprint_overlaps(&watch.poses);
    assert!(
        overlaps.is_empty(),
        "footprints overlapped:\n{}",
        overlaps.join("\n")
    );
    watch.schemas.assert_all_valid();
    for line in processes.warnings() {
        eprintln!("{line}");
    }
}
