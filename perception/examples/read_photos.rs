//! Reads container photos with the OCR and prints what it found and what it cost.
//!
//! ```text
//! cargo run --release -p perception --example read_photos -- [options] DIR
//!   --lines            print every line read, with its box and confidence
//!   --no-downscale     feed large photos to the detector at full size (as RapidOCR does)
//!   --min-side N       detector input's shorter side (736)
//!   --min-width N      recogniser input's narrowest width (96)
//! ```
//!
//! DIR holds `labels.csv` (`filename,code_printed,code,...`) and the photos. Per photo it
//! prints the CPU seconds of this thread for decoding, detection and recognition (the models
//! run on this thread), and whether the lines read contain the label's owner code and serial.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use perception::{Ocr, OcrConfig, TextBox, image_io};

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let (config, dir, print_lines) = parse_args()?;
    let labels = std::fs::read_to_string(dir.join("labels.csv")).context("reading labels.csv")?;
    let mut ocr = Ocr::load(&config)?;

    // warm up: first runs allocate and pick kernels
    let (first, _) = labels
        .lines()
        .nth(1)
        .and_then(|line| line.split_once(','))
        .context("labels.csv has no photo")?;
    ocr.read_text(&image_io::load(dir.join(first))?)?;

    let mut totals = Vec::new();
    let (mut owner_serial, mut full) = (0, 0);
    for line in labels.lines().skip(1) {
        let fields: Vec<&str> = line.splitn(4, ',').collect();
        let (Some(file), Some(code)) = (fields.first(), fields.get(2)) else {
            bail!("labels.csv line without a code: {line}");
        };
        if code.len() != 11 || !code.is_ascii() {
            bail!("labels.csv code is not 11 characters: {line}");
        }
        let started = thread_cpu()?;
        let image = image_io::load(dir.join(file))?;
        let decoded = thread_cpu()?;
        let boxes = ocr.detect(&image)?;
        let detected = thread_cpu()?;
        let lines = ocr.recognize(&image, &boxes)?;
        let recognised = thread_cpu()?;

        let (has_owner_serial, has_check) = contains_code(&lines, code);
        owner_serial += usize::from(has_owner_serial);
        full += usize::from(has_owner_serial && has_check);
        let split = [decoded - started, detected - decoded, recognised - detected];
        totals.push(split);
        println!(
            "{file} {}x{} decode {:.3} det {:.3} rec {:.3} total {:.3} boxes {} lines {} {code} {}",
            image.width(),
            image.height(),
            split[0].as_secs_f64(),
            split[1].as_secs_f64(),
            split[2].as_secs_f64(),
            (recognised - started).as_secs_f64(),
            boxes.len(),
            lines.len(),
            match (has_owner_serial, has_check) {
                (true, true) => "owner+serial+check",
                (true, false) => "owner+serial",
                _ => "-",
            }
        );
        if print_lines {
            for line in &lines {
                let q = line.quad.map(|p| format!("{:.0},{:.0}", p[0], p[1]));
                println!("  [{}] {:.3} '{}'", q.join(" "), line.confidence, line.text);
            }
        }
    }
    summarise(&totals, owner_serial, full);
    Ok(())
}

fn parse_args() -> anyhow::Result<(OcrConfig, PathBuf, bool)> {
    let mut config = OcrConfig::default();
    let (mut dir, mut print_lines) = (None, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || -> anyhow::Result<usize> {
            Ok(args.next().context("a number must follow")?.parse()?)
        };
        match arg.as_str() {
            "--lines" => print_lines = true,
            "--no-downscale" => config.detect.downscale = false,
            "--min-side" => config.detect.min_side = u32::try_from(number()?)?,
            "--min-width" => config.recognize.min_width = number()?,
            other if !other.starts_with("--") => dir = Some(PathBuf::from(other)),
            other => bail!("unknown option {other}"),
        }
    }
    Ok((config, dir.context("give the photo folder")?, print_lines))
}

/// Whether the lines hold the code's owner and serial, and its check digit after the serial or
/// in a line of its own.
fn contains_code(lines: &[TextBox], code: &str) -> (bool, bool) {
    let texts: Vec<String> = lines.iter().map(|l| l.text.replace(' ', "")).collect();
    let (owner, serial, check) = (&code[..4], &code[4..10], &code[10..]);
    let has_owner = texts.iter().any(|t| t.contains(owner));
    let has_serial = texts.iter().any(|t| t.contains(serial));
    let serial_check = format!("{serial}{check}");
    let has_check = texts
        .iter()
        .any(|t| t.contains(&serial_check) || t == check);
    (has_owner && has_serial, has_check)
}

fn summarise(totals: &[[Duration; 3]], owner_serial: usize, full: usize) {
    let seconds = |pick: &dyn Fn(&[Duration; 3]) -> Duration| -> Vec<f64> {
        let mut values: Vec<f64> = totals.iter().map(|t| pick(t).as_secs_f64()).collect();
        values.sort_by(f64::total_cmp);
        values
    };
    let stats = |values: &[f64]| {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        format!("mean {mean:.3} median {:.3}", values[values.len() / 2])
    };
    println!("photos {}", totals.len());
    println!("decode {}", stats(&seconds(&|t| t[0])));
    println!("det    {}", stats(&seconds(&|t| t[1])));
    println!("rec    {}", stats(&seconds(&|t| t[2])));
    println!("total  {}", stats(&seconds(&|t| t[0] + t[1] + t[2])));
    println!("owner+serial {owner_serial}, of which with check digit {full}");
}

/// CPU time of the calling thread so far (Linux: /proc/thread-self/schedstat, nanoseconds).
fn thread_cpu() -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    let nanos: u64 = stat
        .split_whitespace()
        .next()
        .context("empty schedstat")?
        .parse()?;
    Ok(Duration::from_nanos(nanos))
}
