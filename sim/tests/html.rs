//! The HTML report: one inline SVG per plot, the KPI table, and a clear error for a bad path.

use sim::{HtmlError, SimConfig, Simulation};

fn short_report() -> sim::SimReport {
    let mut config = SimConfig::builtin("huu-nghi")
        .expect("shipped yard")
        .with_hours(1.0);
    config.agvs = 8;
    config.seed = 4;
    Simulation::new(config).expect("valid config").run(|_| {})
}

#[test]
fn the_page_has_one_svg_per_plot_and_the_kpi_table() {
    let report = short_report();
    let page = report.to_html().expect("plots draw into memory");

    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    assert_eq!(page.matches("<svg").count(), 4);
    assert_eq!(page.matches("</svg>").count(), 4);
    assert!(page.contains("<table class=\"kpi\">"));
    // every row of the text table is a row of the page's table
    let text = report.to_string();
    for line in text.lines().take_while(|line| !line.is_empty()) {
        let (label, value) = line.split_once("  ").expect("label, two spaces, value");
        let row = format!("<tr><th>{label}</th><td>{}</td></tr>", value.trim());
        assert!(page.contains(&row), "no row {row}");
    }
    for caption in [
        "cleared per hour",
        "queue at the yards",
        "AGV time split",
        "battery",
    ] {
        assert!(page.contains(caption), "no plot {caption}");
    }
    // self-contained: no script, no external asset
    for outside in ["<script", "src=", "href=", "http://", "https://"] {
        let outside_svg_ns = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside_svg_ns.contains(outside), "found {outside}");
    }
}

#[test]
fn an_unwritable_path_is_named_in_the_error() {
    let report = short_report();
    let path = std::env::temp_dir()
        .join("gatefleet-no-such-dir")
        .join("r.html");
    let err = report.write_html(&path).expect_err("no such folder");
    assert!(matches!(err, HtmlError::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("gatefleet-no-such-dir"), "{err}");
}
