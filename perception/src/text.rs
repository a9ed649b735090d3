//! What the OCR hands on: a line of text found in an image, where it is, and how sure the
//! recogniser was.

/// One line of text found in an image.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    /// What was read, as the recogniser gave it (any characters).
    pub text: String,
    /// Mean probability of the characters read, 0 to 1.
    pub confidence: f32,
    /// The probability of each character of `text`, in order; empty when not known.
    pub char_confidences: Vec<f32>,
    /// The box's corners in image pixels (x right, y down), in reading order of the text:
    /// top left, top right, bottom right, bottom left.
    pub quad: [[f32; 2]; 4],
}

impl TextBox {
    /// The centre of the box.
    pub fn centre(&self) -> [f32; 2] {
        let [x, y] = self
            .quad
            .iter()
            .fold([0.0, 0.0], |[x, y], p| [x + p[0], y + p[1]]);
        [x / 4.0, y / 4.0]
    }

    /// The height of the text: the mean of the two sides across the reading direction.
    pub fn text_height(&self) -> f32 {
        (distance(self.quad[0], self.quad[3]) + distance(self.quad[1], self.quad[2])) / 2.0
    }

    /// The length of the text along the reading direction.
    pub fn text_length(&self) -> f32 {
        (distance(self.quad[0], self.quad[1]) + distance(self.quad[3], self.quad[2])) / 2.0
    }
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}
