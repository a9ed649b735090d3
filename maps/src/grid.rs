//! MovingAI `.map` grids: the benchmark maps of the MAPF community.
//!
//! The format is four header lines (`type octile`, `height H`, `width W`, `map`) followed by
//! H rows of W characters. `.` (and the lifelong competition's `E` and `S`) are free; `@`,
//! `T`, `O`, `W` and any other character are blocked. Cells are 4-connected.

use std::fmt;
use std::path::{Path, PathBuf};

/// A cell of a grid: `x` is the column, `y` the row, origin at the top left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// Column, from 0 at the left.
    pub x: u32,
    /// Row, from 0 at the top.
    pub y: u32,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.x, self.y)
    }
}

/// The largest grid accepted, in cells: 4096 x 4096. The largest MovingAI maps hold about
/// 1.5 million; a planner graph costs about 100 bytes a free cell to build, so this caps
/// that at under 2 GB.
pub const MAX_CELLS: u64 = 16_777_216;

/// A 4-connected occupancy grid read from a MovingAI `.map` file.
#[derive(Clone, Debug)]
pub struct GridMap {
    width: u32,
    height: u32,
    free: Vec<bool>,
    source: PathBuf,
}

/// Why a `.map` file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GridError {
    /// The file could not be opened or read.
    #[error("cannot read map file {path:?}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a well-formed `.map`.
    #[error("{path:?} line {line}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

impl GridMap {
    /// Reads a `.map` file.
    ///
    /// # Errors
    /// [`GridError::Io`] when the file cannot be read, [`GridError::Malformed`] naming the line
    /// when a header is missing or a row has the wrong width or the wrong count.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, GridError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| GridError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses the text of a `.map` file; `path` is only used in error messages.
    ///
    /// # Errors
    /// As [`GridMap::load`], without the I/O case.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Self, GridError> {
        let path = path.as_ref().to_path_buf();
        let malformed = |line: usize, reason: String| GridError::Malformed {
            path: path.clone(),
            line,
            reason,
        };
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end()));
        let mut header = |key: &str| -> Result<(usize, Option<String>), GridError> {
            let (no, line) = lines
                .next()
                .ok_or_else(|| malformed(0, format!("file ends before the `{key}` header")))?;
            let mut words = line.split_whitespace();
            if words.next() != Some(key) {
                return Err(malformed(
                    no,
                    format!("expected `{key}` header, found {line:?}"),
                ));
            }
            Ok((no, words.next().map(str::to_owned)))
        };
        let number = |(no, value): (usize, Option<String>), key: &str| -> Result<u32, GridError> {
            let value = value.ok_or_else(|| malformed(no, format!("`{key}` has no value")))?;
            value
                .parse()
                .map_err(|_| malformed(no, format!("`{key}` value {value:?} is not a number")))
        };
        header("type")?;
        let height = number(header("height")?, "height")?;
        let width = number(header("width")?, "width")?;
        header("map")?;
        if width == 0 || height == 0 {
            return Err(malformed(3, format!("empty grid {width}x{height}")));
        }
        // the header is the file's word, not ours: reserve only what a sane map needs
        if u64::from(width) * u64::from(height) > MAX_CELLS {
            return Err(malformed(
                3,
                format!("grid {width}x{height} is over {MAX_CELLS} cells"),
            ));
        }

        let mut free = Vec::with_capacity(width as usize * height as usize);
        let mut rows = 0u32;
        for (no, line) in lines {
            if line.is_empty() && rows == height {
                continue;
            }
            if rows == height {
                return Err(malformed(
                    no,
                    format!("more than the {height} rows announced"),
                ));
            }
            if line.chars().count() != width as usize {
                let found = line.chars().count();
                return Err(malformed(
                    no,
                    format!("row has {found} cells, expected {width}"),
                ));
            }
            free.extend(line.chars().map(|c| matches!(c, '.' | 'G' | 'S' | 'E')));
            rows += 1;
        }
        if rows != height {
            return Err(malformed(
                4 + rows as usize,
                format!("{rows} rows, expected {height}"),
            ));
        }
        Ok(Self {
            width,
            height,
            free,
            source: path,
        })
    }

    /// Builds a grid from rows of characters (`.` free, anything else blocked); for tests.
    ///
    /// # Panics
    /// When rows differ in length: this is for fixtures written in code.
    pub fn from_rows(rows: &[&str]) -> Self {
        let width = rows.first().map_or(0, |r| r.len()) as u32;
        assert!(
            rows.iter().all(|r| r.len() == width as usize),
            "ragged fixture rows"
        );
        let free = rows
            .iter()
            .flat_map(|r| r.chars().map(|c| c == '.'))
            .collect();
        Self {
            width,
            height: rows.len() as u32,
            free,
            source: PathBuf::from("<fixture>"),
        }
    }

    /// Number of columns.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Number of rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The file this grid was read from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Whether `cell` is inside the grid.
    pub fn contains(&self, cell: Cell) -> bool {
        cell.x < self.width && cell.y < self.height
    }

    /// Whether `cell` is inside the grid and free.
    pub fn is_free(&self, cell: Cell) -> bool {
        self.contains(cell) && self.free[self.index(cell)]
    }

    /// Row-major index of a cell (`y * width + x`), the LoRR competition's linear cell id.
    pub fn index(&self, cell: Cell) -> usize {
        cell.y as usize * self.width as usize + cell.x as usize
    }

    /// The cell of a row-major index.
    pub fn cell(&self, index: usize) -> Cell {
        Cell {
            x: (index % self.width as usize) as u32,
            y: (index / self.width as usize) as u32,
        }
    }

    /// Free 4-neighbours of a cell, in the order up, right, down, left.
    pub fn neighbours(&self, cell: Cell) -> impl Iterator<Item = Cell> + '_ {
        let Cell { x, y } = cell;
        let candidates = [
            (y > 0).then(|| Cell { x, y: y - 1 }),
            Some(Cell { x: x + 1, y }),
            Some(Cell { x, y: y + 1 }),
            (x > 0).then(|| Cell { x: x - 1, y }),
        ];
        candidates
            .into_iter()
            .flatten()
            .filter(|c| self.is_free(*c))
    }

    /// All free cells, row by row.
    pub fn free_cells(&self) -> impl Iterator<Item = Cell> + '_ {
        (0..self.free.len())
            .filter(|i| self.free[*i])
            .map(|i| self.cell(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obstacles_and_free_cells_are_told_apart() {
        let text = "type octile\nheight 2\nwidth 3\nmap\n.@T\n..S\n";
        let grid = GridMap::parse(text, "t.map").unwrap();
        assert_eq!((grid.width(), grid.height()), (3, 2));
        assert!(grid.is_free(Cell { x: 0, y: 0 }));
        assert!(!grid.is_free(Cell { x: 1, y: 0 }));
        assert!(!grid.is_free(Cell { x: 2, y: 0 }));
        assert!(grid.is_free(Cell { x: 2, y: 1 }));
        let around: Vec<_> = grid.neighbours(Cell { x: 0, y: 1 }).collect();
        assert_eq!(around, vec![Cell { x: 0, y: 0 }, Cell { x: 1, y: 1 }]);
    }

    #[test]
    fn short_row_names_its_line() {
        let text = "type octile\nheight 2\nwidth 3\nmap\n...\n..\n";
        let err = GridMap::parse(text, "bad.map").unwrap_err().to_string();
        assert!(err.contains("bad.map") && err.contains("line 6"), "{err}");
    }

    #[test]
    fn absurd_header_size_is_refused_not_allocated() {
        let text = "type octile\nheight 4000000000\nwidth 4000000000\nmap\n.\n";
        let err = GridMap::parse(text, "huge.map").unwrap_err().to_string();
        assert!(err.contains("huge.map") && err.contains("cells"), "{err}");
    }

    #[test]
    fn missing_header_is_reported() {
        let err = GridMap::parse("height 2\n", "h.map")
            .unwrap_err()
            .to_string();
        assert!(err.contains("type"), "{err}");
    }
}
