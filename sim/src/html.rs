//! The report as one self-contained HTML page: the KPI table, the per-day table and four
//! plots drawn by `plotters` into inline SVG (no script, no external file, no font needed).
//!
//! The plots, hour by hour over the run: containers cleared per direction; the queue at the
//! yards (exports in the Vietnamese yard, trucks in staging, imports in the Chinese yard and
//! the backlog of both directions); the fleet's time split, stacked; the lowest, mean and
//! highest battery charge over the fleet.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

use crate::report::{SimReport, TimeSplit};

/// Why the HTML report could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// The page could not be written to its file.
    #[error("cannot write HTML report {}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A plot could not be drawn.
    #[error("cannot draw the plot {plot:?}")]
    Draw {
        /// The plot's title.
        plot: &'static str,
        /// What the plotting library said.
        #[source]
        source: DrawingAreaErrorKind<io::Error>,
    },
}

/// What drawing one plot may fail with.
type DrawResult<T> = Result<T, DrawingAreaErrorKind<io::Error>>;

/// Draws one plot of a report as an SVG document.
type DrawPlot = fn(&SimReport) -> DrawResult<String>;

/// One part of the time split: legend, colour, and its share.
type SplitPart = (&'static str, RGBColor, fn(&TimeSplit) -> f64);

/// Size of each plot, pixels.
const PLOT_SIZE: (u32, u32) = (960, 340);

/// Colours of the series (the "tab10" palette, readable on white and in print).
const TAB_BLUE: RGBColor = RGBColor(31, 119, 180);
const TAB_ORANGE: RGBColor = RGBColor(255, 127, 14);
const TAB_GREEN: RGBColor = RGBColor(44, 160, 44);
const TAB_RED: RGBColor = RGBColor(214, 39, 40);
const TAB_PURPLE: RGBColor = RGBColor(148, 103, 189);
const TAB_GREY: RGBColor = RGBColor(150, 150, 150);

/// One line of a plot: its legend, its colour, one value per hour.
struct Line<'a> {
    label: &'a str,
    colour: RGBColor,
    values: Vec<f64>,
}

impl SimReport {
    /// The page as a string.
    ///
    /// # Errors
    /// [`HtmlError::Draw`] when the plotting library fails (it writes into memory, so this
    /// is not expected).
    pub fn to_html(&self) -> Result<String, HtmlError> {
        let mut page = String::new();
        let title = format!(
            "gatefleet sim: {} at {}, {} h, {} AGVs, seed {}",
            self.scenario, self.yard, self.hours, self.agvs, self.seed
        );
        page.push_str(&head(&title));
        page.push_str(&kpi_table(self));
        page.push_str(&day_table(self));
        let plots: [(&'static str, DrawPlot); 4] = [
            ("containers cleared per hour", cleared_plot),
            ("queue at the yards", queue_plot),
            ("AGV time split", split_plot),
            ("battery levels", battery_plot),
        ];
        for (plot, draw) in plots {
            let svg = draw(self).map_err(|source| HtmlError::Draw { plot, source })?;
            let _ = write!(
                page,
                "<figure>\n{svg}\n<figcaption>{plot}</figcaption>\n</figure>\n"
            );
        }
        page.push_str("</body>\n</html>\n");
        Ok(page)
    }

    /// Writes the page to `path`, replacing the file.
    ///
    /// # Errors
    /// [`HtmlError::Write`] naming the path when it cannot be written; [`HtmlError::Draw`] as
    /// for [`SimReport::to_html`].
    pub fn write_html(&self, path: impl AsRef<Path>) -> Result<(), HtmlError> {
        let path = path.as_ref();
        let page = self.to_html()?;
        std::fs::write(path, page).map_err(|source| HtmlError::Write {
            path: path.to_owned(),
            source,
        })
    }
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n\
         body {{ font-family: sans-serif; margin: 2em; color: #222; }}\n\
         table {{ border-collapse: collapse; margin-bottom: 1.5em; }}\n\
         td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; }}\n\
         td.n {{ text-align: right; }}\n\
         figure {{ margin: 1em 0; }}\n\
         </style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        title = escape(title)
    )
}

fn kpi_table(report: &SimReport) -> String {
    let mut html = String::from("<h2>KPIs</h2>\n<table class=\"kpi\">\n");
    for (label, value) in report.kpi_rows() {
        let _ = writeln!(
            html,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(label),
            escape(&value)
        );
    }
    html.push_str("</table>\n");
    html
}

fn day_table(report: &SimReport) -> String {
    let (header, rows) = report.day_rows();
    let mut html = String::from("<h2>Day by day</h2>\n<table class=\"days\">\n<tr>");
    for cell in header {
        let _ = write!(html, "<th>{}</th>", escape(cell));
    }
    html.push_str("</tr>\n");
    for row in rows {
        html.push_str("<tr>");
        for cell in row {
            let _ = write!(html, "<td class=\"n\">{}</td>", escape(&cell));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
    html
}

/// Text made safe inside HTML elements and attributes.
fn escape(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => safe.push_str("&amp;"),
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '"' => safe.push_str("&quot;"),
            _ => safe.push(c),
        }
    }
    safe
}

fn counts(values: &[u64]) -> Vec<f64> {
    values.iter().map(|&v| v as f64).collect()
}

fn cleared_plot(report: &SimReport) -> DrawResult<String> {
    let hourly = &report.hourly;
    let lines = [
        Line {
            label: "exports cleared",
            colour: TAB_BLUE,
            values: counts(&hourly.cleared_export),
        },
        Line {
            label: "imports cleared",
            colour: TAB_ORANGE,
            values: counts(&hourly.cleared_import),
        },
    ];
    line_plot("Containers cleared per hour", "containers", &lines, None)
}

fn queue_plot(report: &SimReport) -> DrawResult<String> {
    let hourly = &report.hourly;
    let backlog = hourly
        .backlog_export
        .iter()
        .zip(&hourly.backlog_import)
        .map(|(e, i)| (e + i) as f64)
        .collect();
    let lines = [
        Line {
            label: "exports in the Vietnamese yard",
            colour: TAB_BLUE,
            values: counts(&hourly.yard_export_vn),
        },
        Line {
            label: "export trucks in staging",
            colour: TAB_RED,
            values: counts(&hourly.staging),
        },
        Line {
            label: "imports in the Chinese yard",
            colour: TAB_ORANGE,
            values: counts(&hourly.yard_import_cn),
        },
        Line {
            label: "backlog: arrived, not delivered",
            colour: TAB_GREY,
            values: backlog,
        },
    ];
    line_plot(
        "Queue at the yards (end of each hour)",
        "containers",
        &lines,
        None,
    )
}

fn battery_plot(report: &SimReport) -> DrawResult<String> {
    let band = &report.hourly.battery;
    let percent = |f: fn(&crate::BatteryBand) -> f64| band.iter().map(|b| 100.0 * f(b)).collect();
    let lines = [
        Line {
            label: "highest",
            colour: TAB_GREEN,
            values: percent(|b| b.max),
        },
        Line {
            label: "mean",
            colour: TAB_BLUE,
            values: percent(|b| b.mean),
        },
        Line {
            label: "lowest",
            colour: TAB_RED,
            values: percent(|b| b.min),
        },
    ];
    line_plot(
        "Battery charge over the fleet (end of each hour)",
        "%",
        &lines,
        Some(100.0),
    )
}

/// Lines over the run's hours, each value held over its hour.
fn line_plot(title: &str, y_desc: &str, lines: &[Line], y_max: Option<f64>) -> DrawResult<String> {
    let hours = lines
        .iter()
        .map(|l| l.values.len())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let highest = lines
        .iter()
        .flat_map(|l| l.values.iter().copied())
        .fold(0.0, f64::max);
    // headroom above the highest value for the legend
    let y_max = y_max.unwrap_or((highest * 1.25).max(1.0));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, PLOT_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = chart_on(&root, title, hours, y_max)?;
        axes(&mut chart, y_desc, hours, y_max)?;
        for line in lines {
            let colour = line.colour;
            chart
                .draw_series(LineSeries::new(steps(&line.values), colour.stroke_width(2)))?
                .label(line.label)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(2))
                });
        }
        legend(&mut chart)?;
        root.present()?;
    }
    Ok(svg)
}

fn split_plot(report: &SimReport) -> DrawResult<String> {
    let parts: [SplitPart; 6] = [
        ("loaded", TAB_BLUE, |s| s.loaded),
        ("empty", TAB_ORANGE, |s| s.empty),
        ("service", TAB_GREEN, |s| s.service),
        ("waiting", TAB_RED, |s| s.waiting),
        ("swapping", TAB_PURPLE, |s| s.swapping),
        ("idle", TAB_GREY, |s| s.idle),
    ];
    let split = &report.hourly.time_split;
    let hours = split.len().max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, PLOT_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = chart_on(&root, "AGV time split per hour", hours, 100.0)?;
        axes(&mut chart, "% of fleet time", hours, 100.0)?;
        // stacked: each area reaches the sum of its part and those below, drawn top first
        for top in (0..parts.len()).rev() {
            let (label, colour, _) = parts[top];
            let stacked: Vec<f64> = split
                .iter()
                .map(|s| {
                    100.0
                        * parts[..=top]
                            .iter()
                            .map(|(_, _, part)| part(s))
                            .sum::<f64>()
                })
                .collect();
            chart
                .draw_series(AreaSeries::new(steps(&stacked), 0.0, colour.mix(0.85)))?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        legend(&mut chart)?;
        root.present()?;
    }
    Ok(svg)
}

/// Axes with whole numbers, no minor grid, and a thin line where each day begins.
fn axes(chart: &mut Chart<'_, '_>, y_desc: &str, hours: f64, y_max: f64) -> DrawResult<()> {
    let whole = |v: &f64| format!("{v:.0}");
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc("hour of the run (grey lines: midnight)")
        .y_desc(y_desc)
        .x_label_formatter(&whole)
        .y_label_formatter(&whole)
        .draw()?;
    let midnights = (1..)
        .map(|day| f64::from(day) * 24.0)
        .take_while(|&h| h < hours);
    for midnight in midnights {
        let line = [(midnight, 0.0), (midnight, y_max)];
        chart.draw_series(LineSeries::new(line, TAB_GREY.mix(0.6)))?;
    }
    Ok(())
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn chart_on<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
    hours: f64,
    y_max: f64,
) -> DrawResult<Chart<'a, 'b>> {
    ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..hours, 0.0..y_max)
}

fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>) -> DrawResult<()> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
}

/// Points of a step line: value `v[h]` held from hour `h` to `h + 1`.
fn steps(values: &[f64]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .flat_map(|(h, &v)| [(h as f64, v), (h as f64 + 1.0, v)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_markup_text() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn steps_hold_each_value_over_its_hour() {
        assert_eq!(
            steps(&[2.0, 5.0]),
            [(0.0, 2.0), (1.0, 2.0), (1.0, 5.0), (2.0, 5.0)]
        );
    }
}
