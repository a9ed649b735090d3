//! ISO 6346 container codes: the check digit, and reading a code out of OCR text boxes.
//!
//! A code is an owner code of three letters, a category letter (`U` freight container, `J`
//! detachable equipment, `Z` trailer or chassis), a six-digit serial and a check digit,
//! e.g. `APZU 345219 5`. The check digit is what makes reading safe: a code is only ever
//! reported when the digit painted matches the one computed from the ten characters before
//! it, so a misread character is caught (all but one in eleven of random misreads are).
//!
//! On a container door the code is painted on one line, or on two or three (`HALU` over
//! `5654 43 2`), or down a corner post one character per row, and the check digit sits in
//! a box that a text detector often reports as a word of its own. [`read_code`] therefore
//! takes the recognised boxes with their geometry, groups the boxes that can be parts of
//! one code (close to each other in units of their text height), and tries the orders a
//! reader would: left to right along a line, then line after line down, for one, two or
//! three boxes. Only corrections that cannot turn one valid code into another are made: a
//! letter where a digit must be (or the reverse) is read as the character it resembles.

use std::fmt;

use tracing::debug;

use crate::text::TextBox;

/// A container code whose check digit is valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContainerCode([u8; 11]);

impl ContainerCode {
    /// Parses eleven characters (spaces ignored), checking the layout and the check digit.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let chars: Vec<u8> = text.bytes().filter(|b| *b != b' ').collect();
        let Ok(chars) = <[u8; 11]>::try_from(chars.as_slice()) else {
            return Err(CodeError::Length(chars.len()));
        };
        for (i, &c) in chars.iter().enumerate() {
            let fits = match i {
                0..=2 => c.is_ascii_uppercase(),
                3 => matches!(c, b'U' | b'J' | b'Z'),
                _ => c.is_ascii_digit(),
            };
            if !fits {
                return Err(CodeError::Character {
                    position: i + 1,
                    found: c as char,
                });
            }
        }
        let computed = check_digit(&chars[..10]).ok_or(CodeError::Character {
            position: 1,
            found: chars[0] as char,
        })?;
        let painted = chars[10] - b'0';
        if computed != painted {
            return Err(CodeError::CheckDigit { painted, computed });
        }
        Ok(Self(chars))
    }

    /// The eleven characters without spaces, e.g. `APZU3452195`.
    pub fn as_str(&self) -> &str {
        // only ASCII letters and digits are ever stored
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The owner code and category letter, e.g. `APZU`.
    pub fn owner(&self) -> &str {
        &self.as_str()[..4]
    }
}

impl fmt::Display for ContainerCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ContainerCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why a text is not a container code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not eleven characters.
    #[error("a container code has 11 characters, not {0}")]
    Length(usize),
    /// A character that cannot stand where it is.
    #[error("character {position} ({found:?}) cannot stand there: 3 letters, U/J/Z, 7 digits")]
    Character {
        /// 1-based position.
        position: usize,
        /// What stands there.
        found: char,
    },
    /// The check digit does not match.
    #[error("check digit {painted} does not match the computed {computed}")]
    CheckDigit {
        /// The eleventh character.
        painted: u8,
        /// What the first ten give.
        computed: u8,
    },
}

/// The ISO 6346 value of a letter: A is 10 and each next letter one more, stepping over
/// the multiples of 11 (so B is 12, L is 23, V is 34).
fn letter_value(c: u8) -> Option<u32> {
    if !c.is_ascii_uppercase() {
        return None;
    }
    let mut value = 10;
    for _ in 0..(c - b'A') {
        value += 1;
        if value % 11 == 0 {
            value += 1;
        }
    }
    Some(value)
}

/// The check digit of the first ten characters (owner, category, serial); `None` when they
/// are not letters then digits.
pub fn check_digit(first_ten: &[u8]) -> Option<u8> {
    if first_ten.len() != 10 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in first_ten.iter().enumerate() {
        let value = if i < 4 {
            letter_value(c)?
        } else if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            return None;
        };
        sum += value << i;
    }
    Some((sum % 11 % 10) as u8)
}

/// A container code read from an image's text boxes.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeReading {
    /// The code, check digit valid.
    pub code: ContainerCode,
    /// The probability of its least sure character, 0 to 1 (at least
    /// [`MIN_CHAR_CONFIDENCE`]).
    pub confidence: f32,
    /// The boxes it was read from, owner code first, as indices into the boxes given.
    pub boxes: Vec<usize>,
}

/// How far from the owner code the rest of a code may be painted, in text heights: along
/// the line (the serial and its boxed check digit follow within a few characters) and
/// across it (two- and three-line layouts put the serial one or two lines below).
const MAX_ALONG: f32 = 14.0;
const MAX_BEFORE: f32 = 4.0;
const MAX_BELOW: f32 = 8.0;
const MAX_ACROSS: f32 = 3.5;
/// Boxes whose centres are closer than this across the line are on the same line.
const SAME_LINE: f32 = 0.6;
/// The serial's characters are painted the size of the owner code's; the boxed check digit
/// is often detected a little smaller or larger.
const HEIGHT_RATIO: (f32, f32) = (0.4, 2.5);
/// A second, different valid code this close in cost to the best makes the read ambiguous.
const AMBIGUOUS_COST_RATIO: f32 = 1.5;
/// The least probability any character of a reported code may have. The check digit
/// catches ten misreads in eleven; this catches the eleventh when the recogniser hesitated
/// (a painted `C` read `U` at 0.59 on a photo where every other character was above 0.94,
/// and the wrong code passed its check digit). Characters read right on the labelled
/// photos are above 0.9.
pub const MIN_CHAR_CONFIDENCE: f32 = 0.8;

/// The probability of the least sure letter or digit of a box (spaces and punctuation do
/// not count); the box's mean when its characters' probabilities are not known.
fn weakest_char(b: &TextBox) -> f32 {
    if b.char_confidences.len() != b.text.chars().count() {
        return b.confidence;
    }
    b.text
        .chars()
        .zip(&b.char_confidences)
        .filter(|(c, _)| fold(*c).is_ascii_alphanumeric())
        .map(|(_, &p)| p)
        .fold(f32::INFINITY, f32::min)
}

/// A character as the reader sees it: full-width forms folded to ASCII, upper case.
fn fold(c: char) -> char {
    // full-width ASCII variants (U+FF01..U+FF5E) sit 0xFEE0 above their ASCII forms
    let c = match u32::from(c) {
        0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_uppercase()
}

/// A box's text as the reader uses it: full-width forms folded to ASCII, upper case, and
/// whether anything other than letters, digits and spaces was in it (weights like
/// `30,480 KGS` and dimensions like `2.690` are never part of a code).
fn clean(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut only_code_chars = true;
    for c in text.chars().map(fold) {
        if c.is_ascii_uppercase() || c.is_ascii_digit() {
            out.push(c);
        } else if c != ' ' {
            only_code_chars = false;
        }
    }
    (out, only_code_chars)
}

/// The owner box's frame: its centre, unit vectors along and across the text, and the
/// text height, so that other boxes are placed in text heights relative to it.
struct Frame {
    centre: [f32; 2],
    along: [f32; 2],
    across: [f32; 2],
    height: f32,
}

impl Frame {
    fn of(b: &TextBox) -> Option<Self> {
        let unit = |from: [f32; 2], to: [f32; 2]| {
            let d = [to[0] - from[0], to[1] - from[1]];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            (len > f32::EPSILON).then(|| [d[0] / len, d[1] / len])
        };
        let height = b.text_height();
        (height > f32::EPSILON).then_some(())?;
        Some(Self {
            centre: b.centre(),
            along: unit(b.quad[0], b.quad[1])?,
            across: unit(b.quad[0], b.quad[3])?,
            height,
        })
    }

    /// Where `p` lies, in text heights along and across the owner's line.
    fn place(&self, p: [f32; 2]) -> (f32, f32) {
        let d = [p[0] - self.centre[0], p[1] - self.centre[1]];
        (
            (d[0] * self.along[0] + d[1] * self.along[1]) / self.height,
            (d[0] * self.across[0] + d[1] * self.across[1]) / self.height,
        )
    }
}

/// A box of digits that may continue a code, placed relative to the owner box.
#[derive(Clone)]
struct DigitBox {
    index: usize,
    digits: String,
    along: f32,
    across: f32,
}

/// Reads a container code from the text boxes found in one image, or `None`.
///
/// An owner box is one whose text starts with three letters and a category letter (`U`, `J`
/// or `Z`), maybe followed by digits. The digits still missing (to make six serial digits
/// and the check digit) are taken from one to three boxes of digits only, placed near it:
/// on its line to its right, or on the next lines. They are read in reading order (along
/// the owner's line, then line after line), whatever order the boxes came in. Every
/// assembly that passes the check digit is costed by the path from box to box in text
/// heights; the cheapest wins, unless a different code costs nearly as little, in which
/// case nothing is reported rather than a guess. An assembly with a character read less
/// surely than [`MIN_CHAR_CONFIDENCE`] is not reported even when its check digit passes.
pub fn read_code(boxes: &[TextBox]) -> Option<CodeReading> {
    let cleaned: Vec<(String, bool)> = boxes.iter().map(|b| clean(&b.text)).collect();
    let mut candidates: Vec<(f32, CodeReading)> = Vec::new();
    for (owner, (text, plain)) in cleaned.iter().enumerate() {
        let Some((prefix, rest)) = owner_and_digits(text, *plain) else {
            continue;
        };
        let Some(frame) = Frame::of(&boxes[owner]) else {
            continue;
        };
        let missing = 7 - rest.len();
        let digit_boxes: Vec<DigitBox> = cleaned
            .iter()
            .enumerate()
            .filter(|&(i, (digits, plain))| {
                i != owner
                    && *plain
                    && !digits.is_empty()
                    && digits.len() <= missing
                    && digits.bytes().all(|c| c.is_ascii_digit())
            })
            .filter_map(|(i, (digits, _))| {
                let (along, across) = frame.place(boxes[i].centre());
                let ratio = boxes[i].text_height() / frame.height;
                let same_line = across.abs() < SAME_LINE;
                let near = if same_line {
                    along > 0.0 && along <= MAX_ALONG
                } else {
                    // a line below, starting under the owner code or a little before it
                    across > 0.0
                        && across <= MAX_ACROSS
                        && (-MAX_BEFORE..=MAX_BELOW).contains(&along)
                };
                (near && ratio >= HEIGHT_RATIO.0 && ratio <= HEIGHT_RATIO.1).then(|| DigitBox {
                    index: i,
                    digits: digits.clone(),
                    along,
                    across,
                })
            })
            .collect();
        for chain in chains(&digit_boxes, missing) {
            let mut code = String::with_capacity(11);
            code.push_str(prefix);
            code.push_str(rest);
            for d in &chain {
                code.push_str(&d.digits);
            }
            let Ok(code) = ContainerCode::parse(&code) else {
                continue;
            };
            let cost = path_cost(&chain);
            let mut used = vec![owner];
            used.extend(chain.iter().map(|d| d.index));
            let confidence = used
                .iter()
                .map(|&i| weakest_char(&boxes[i]))
                .fold(f32::INFINITY, f32::min);
            if confidence < MIN_CHAR_CONFIDENCE {
                debug!(%code, confidence, "a character of the code is too unsure");
                continue;
            }
            candidates.push((
                cost,
                CodeReading {
                    code,
                    confidence,
                    boxes: used,
                },
            ));
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (best_cost, best) = candidates.first()?.clone();
    let rival = candidates.iter().skip(1).find(|(_, c)| c.code != best.code);
    if let Some((cost, _)) = rival
        && *cost <= best_cost.max(1.0) * AMBIGUOUS_COST_RATIO
    {
        return None;
    }
    Some(best)
}

/// An owner box's owner code and the digits after it, when `text` (cleaned, `plain` if it
/// held nothing but letters, digits and spaces) starts with three letters and a category
/// letter followed by at most seven digits.
fn owner_and_digits(text: &str, plain: bool) -> Option<(&str, &str)> {
    if !plain || text.len() < 4 {
        return None;
    }
    let (prefix, rest) = text.split_at(4);
    let owner_like = prefix.bytes().take(3).all(|c| c.is_ascii_uppercase())
        && matches!(prefix.as_bytes()[3], b'U' | b'J' | b'Z');
    (owner_like && rest.len() <= 7 && rest.bytes().all(|c| c.is_ascii_digit()))
        .then_some((prefix, rest))
}

/// Whether any box starts with an owner code (three letters and `U`, `J` or `Z`), complete
/// code or not: a photo where one was seen is upright, whatever else failed.
pub fn has_owner_code(boxes: &[TextBox]) -> bool {
    boxes.iter().any(|b| {
        let (text, plain) = clean(&b.text);
        owner_and_digits(&text, plain).is_some()
    })
}

/// Every set of one to three digit boxes whose digits add up to `missing`, each in reading
/// order (lines top to bottom, left to right within a line); the empty chain when nothing
/// is missing.
fn chains(digit_boxes: &[DigitBox], missing: usize) -> Vec<Vec<DigitBox>> {
    let mut out = Vec::new();
    if missing == 0 {
        out.push(Vec::new());
        return out;
    }
    let n = digit_boxes.len();
    let mut pick = |set: Vec<&DigitBox>| {
        if set.iter().map(|d| d.digits.len()).sum::<usize>() == missing {
            let mut chain: Vec<DigitBox> = set.into_iter().cloned().collect();
            chain.sort_by(|a, b| {
                if (a.across - b.across).abs() < SAME_LINE {
                    a.along.total_cmp(&b.along)
                } else {
                    a.across.total_cmp(&b.across)
                }
            });
            out.push(chain);
        }
    };
    for i in 0..n {
        pick(vec![&digit_boxes[i]]);
        for j in i + 1..n {
            pick(vec![&digit_boxes[i], &digit_boxes[j]]);
            for k in j + 1..n {
                pick(vec![&digit_boxes[i], &digit_boxes[j], &digit_boxes[k]]);
            }
        }
    }
    out
}

/// The length of the path from the owner box through the chain, in owner text heights.
fn path_cost(chain: &[DigitBox]) -> f32 {
    let mut at = (0.0f32, 0.0f32);
    let mut cost = 0.0;
    for d in chain {
        cost += ((d.along - at.0).powi(2) + (d.across - at.1).powi(2)).sqrt();
        at = (d.along, d.across);
    }
    cost
}
