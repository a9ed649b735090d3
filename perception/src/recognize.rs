//! Text recognition with PP-OCR's CTC model, restricted to what a container code is made of.
//!
//! A strip of text is scaled to 48 pixels high at its own aspect ratio and padded to at
//! least [`RecognizeParams::min_width`] columns. The model answers, for every 8 columns, a
//! probability for each of its 18,710 classes: the blank, the 18,708 characters of its
//! dictionary (read from the model's `character` metadata) and the space.
//!
//! Decoding is CTC greedy decoding over the blank, `A`-`Z`, `0`-`9` and the space only: at
//! each step the most probable of those wins; repeats and blanks are dropped. Restricting the
//! choice keeps a `0` from becoming `O` with a stroke or a full-width `０`, and lines of other
//! scripts or lowercase fall below the confidence floor instead of turning into codes.

use image::RgbImage;
use ndarray::ArrayView4;
use ort::session::Session;
use ort::value::TensorRef;

use crate::PerceptionError;
use crate::tensor::write_bgr_planes;

/// The recogniser's input height, fixed by the model.
const HEIGHT: usize = 48;

/// How strips are fed to the recogniser and which lines are kept.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecognizeParams {
    /// Narrowest input, in pixels; narrower strips are padded (RapidOCR pads to 320; 96 reads
    /// lone check digits as well and costs less than a third).
    pub min_width: usize,
    /// Lowest mean character probability of a line that is kept (0.5).
    pub min_confidence: f32,
}

impl Default for RecognizeParams {
    fn default() -> Self {
        Self {
            min_width: 96,
            min_confidence: 0.5,
        }
    }
}

/// The classes decoding chooses among: `(class index, character)`, ascending by index, the
/// blank (index 0) not included.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Alphabet {
    classes: Vec<(usize, char)>,
    class_count: usize,
}

impl Alphabet {
    /// Builds the alphabet from the model's dictionary (`character` metadata, one character a
    /// line): class 0 is the blank, class `i` the dictionary's `i`-th entry, the last class
    /// the space.
    pub(crate) fn from_dictionary(dictionary: &str) -> Result<Self, String> {
        let entries: Vec<&str> = dictionary.split('\n').collect();
        let mut classes: Vec<(usize, char)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                let mut chars = entry.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii_uppercase() || c.is_ascii_digit() => {
                        Some((i + 1, c))
                    }
                    _ => None,
                }
            })
            .collect();
        if classes.len() != 36 {
            return Err(format!(
                "expected each of A-Z and 0-9 once among {} entries, found {}",
                entries.len(),
                classes.len()
            ));
        }
        let class_count = entries.len() + 2;
        classes.push((class_count - 1, ' '));
        Ok(Self {
            classes,
            class_count,
        })
    }

    /// Greedy CTC decoding of `steps` rows of `class_count` probabilities: the text and the
    /// probability of each character kept, `None` when nothing is kept.
    fn decode(&self, probabilities: &[f32]) -> Option<(String, Vec<f32>)> {
        let mut text = String::new();
        let mut kept = Vec::new();
        let mut previous = 0;
        for step in probabilities.chunks_exact(self.class_count) {
            // ties go to the lower index, as numpy's argmax does
            let mut best = (0, step[0], ' ');
            for &(class, character) in &self.classes {
                if step[class] > best.1 {
                    best = (class, step[class], character);
                }
            }
            if best.0 != 0 && best.0 != previous {
                text.push(best.2);
                kept.push(best.1);
            }
            previous = best.0;
        }
        (!kept.is_empty()).then_some((text, kept))
    }
}

/// The CTC recogniser: a model session, its alphabet and how to use them.
pub(crate) struct Recognizer {
    session: Session,
    alphabet: Alphabet,
    params: RecognizeParams,
    /// The input tensor's values, kept between strips.
    input: Vec<f32>,
}

impl Recognizer {
    pub(crate) fn new(session: Session, alphabet: Alphabet, params: RecognizeParams) -> Self {
        Self {
            session,
            alphabet,
            params,
            input: Vec::new(),
        }
    }

    /// Reads the upright strip `strip`: its text (no leading or trailing spaces), the mean
    /// probability of its characters and each character's, or `None` when nothing legible
    /// enough is there.
    pub(crate) fn recognize(
        &mut self,
        strip: &RgbImage,
    ) -> Result<Option<(String, f32, Vec<f32>)>, PerceptionError> {
        let (width, height) = (strip.width() as usize, strip.height() as usize);
        if width == 0 || height == 0 {
            return Ok(None);
        }
        let scaled_width = ((HEIGHT * width) as f32 / height as f32).ceil().max(1.0) as usize;
        let input_width = scaled_width.max(self.params.min_width);
        // zero is mid-grey once normalised: the padding RapidOCR uses
        self.input.clear();
        self.input.resize(3 * HEIGHT * input_width, 0.0);
        write_bgr_planes(strip, scaled_width, HEIGHT, input_width, &mut self.input);
        let input = ArrayView4::from_shape((1, 3, HEIGHT, input_width), &self.input)
            .expect("the buffer was sized for this shape");

        let fail = |source| PerceptionError::Inference {
            model: "recognition",
            source,
        };
        let tensor = TensorRef::from_array_view(input).map_err(fail)?;
        let outputs = self.session.run(ort::inputs![tensor]).map_err(fail)?;
        let (shape, probabilities) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
        if shape.len() != 3 || shape[0] != 1 || shape[2] != self.alphabet.class_count as i64 {
            return Err(PerceptionError::OutputShape {
                model: "recognition",
                shape: shape.to_vec(),
                expected: "[1, steps, dictionary size + 2]",
            });
        }
        let Some((text, kept)) = self.alphabet.decode(probabilities) else {
            return Ok(None);
        };
        // one probability per character, every character ASCII: trim both alike
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        if start >= end {
            return Ok(None);
        }
        let (text, kept) = (&text[start..end], &kept[start..end]);
        let confidence = kept.iter().sum::<f32>() / kept.len() as f32;
        if confidence < self.params.min_confidence {
            return Ok(None);
        }
        Ok(Some((text.to_owned(), confidence, kept.to_vec())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dictionary shaped like the model's: punctuation, digits, letters, then others.
    fn dictionary() -> String {
        let mut entries: Vec<String> = vec!["!".into(), "#".into()];
        entries.extend(('0'..='9').map(String::from));
        entries.extend(('A'..='Z').map(String::from));
        entries.extend(["a".into(), "０".into(), "中".into()]);
        entries.join("\n")
    }

    fn steps(alphabet: &Alphabet, winners: &[(usize, f32)]) -> Vec<f32> {
        let mut probabilities = vec![0.0; winners.len() * alphabet.class_count];
        for (step, &(class, p)) in winners.iter().enumerate() {
            probabilities[step * alphabet.class_count + class] = p;
        }
        probabilities
    }

    #[test]
    fn alphabet_has_blank_letters_digits_and_a_trailing_space() {
        let alphabet = Alphabet::from_dictionary(&dictionary()).expect("complete dictionary");
        assert_eq!(alphabet.class_count, 2 + 36 + 3 + 2);
        assert_eq!(alphabet.classes[0], (3, '0'));
        assert_eq!(alphabet.classes[10], (13, 'A'));
        assert_eq!(alphabet.classes[36], (alphabet.class_count - 1, ' '));
    }

    #[test]
    fn dictionary_without_digits_is_refused() {
        let letters: Vec<String> = ('A'..='Z').map(String::from).collect();
        assert!(Alphabet::from_dictionary(&letters.join("\n")).is_err());
    }

    #[test]
    fn repeats_merge_unless_a_blank_separates_them() {
        let alphabet = Alphabet::from_dictionary(&dictionary()).expect("complete dictionary");
        // 1 1 blank 1 A : "11A"
        let probabilities = steps(
            &alphabet,
            &[(4, 0.9), (4, 0.9), (0, 0.9), (4, 0.6), (13, 0.6)],
        );
        let (text, kept) = alphabet.decode(&probabilities).expect("text");
        assert_eq!(text, "11A");
        assert_eq!(kept, vec![0.9, 0.6, 0.6]);
    }

    #[test]
    fn characters_outside_the_alphabet_never_win() {
        let alphabet = Alphabet::from_dictionary(&dictionary()).expect("complete dictionary");
        // the full-width zero (class 40) is most probable, the ASCII zero next
        let mut probabilities = steps(&alphabet, &[(40, 0.7)]);
        probabilities[3] = 0.2;
        let (text, kept) = alphabet.decode(&probabilities).expect("text");
        assert_eq!(text, "0");
        assert_eq!(kept, vec![0.2]);
    }
}
