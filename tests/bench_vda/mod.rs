//! `gatefleet bench vda-states` on a small load: every vehicle joins, every state sent in the
//! window is received whole, and each figure line is printed and reads back.
//!
//! No threshold is put on latency or CPU: they depend on the machine and what else runs on
//! it. Counts are exact, since the bench counts by the send time both processes share.

use crate::support::{gatefleet, scratch};

/// The value of `key=value` in a line, unit suffixes (`ms`, `%`, `/s`) dropped.
fn value(line: &str, key: &str) -> f64 {
    let word = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key}= in `{line}`"));
    let number = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || "%/".contains(c));
    number
        .parse()
        .unwrap_or_else(|_| panic!("{key}={word} is not a number"))
}

fn line<'a>(stdout: &'a str, start: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting `{start}` in:\n{stdout}"))
}

#[test]
fn fifty_vehicles_join_and_every_state_of_the_window_arrives() {
    let dir = scratch("bench-vda-states");
    let run = gatefleet(
        &dir,
        &[
            "bench",
            "vda-states",
            "--vehicles",
            "50",
            "--hz",
            "10",
            "--seconds",
            "3",
            "--warmup-s",
            "1",
            "--port",
            "17620",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:#?}");
    let out = &run.stdout;

    let vehicles = line(out, "vehicles=");
    assert_eq!(value(vehicles, "vehicles"), 50.0, "{out}");
    assert_eq!(value(vehicles, "joined"), 50.0, "{out}");
    // a complete state (header, position, velocity, battery, safety state, ...) is larger
    assert!(value(vehicles, "state_bytes") > 300.0, "{out}");

    // 50 vehicles x 10 Hz x 3 s; a loaded machine may send fewer, never none
    let counts = line(out, "sent=");
    let sent = value(counts, "sent");
    assert!(sent > 750.0 && sent <= 1501.0, "{out}");
    assert_eq!(value(counts, "received"), sent, "{out}");
    assert_eq!(value(counts, "broken"), 0.0, "{out}");
    assert!(value(counts, "rate") > 0.0, "{out}");

    for name in ["receipt_to_desk", "receipt_to_core", "publish_to_core"] {
        let figures = line(out, name);
        assert_eq!(value(figures, "n"), sent, "{out}");
        let (p50, p99, max) = (
            value(figures, "p50"),
            value(figures, "p99"),
            value(figures, "max"),
        );
        assert!(0.0 <= p50 && p50 <= p99 && p99 <= max, "{out}");
    }
    let cpu = line(out, "cpu_manager=");
    assert!(value(cpu, "cpu_manager") > 0.0, "{out}");
    assert!(value(cpu, "cpu_load") > 0.0, "{out}");
}

#[test]
fn taken_port_is_refused_naming_it() {
    let dir = scratch("bench-vda-port");
    let _taken = std::net::TcpListener::bind(("127.0.0.1", 17621)).unwrap();
    let run = gatefleet(
        &dir,
        &["bench", "vda-states", "--vehicles", "2", "--port", "17621"],
    );
    let message = run.refusal();
    assert!(message.contains("--port 17621"), "{message}");
}
