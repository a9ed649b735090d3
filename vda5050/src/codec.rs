//! Reading and writing messages as JSON bytes.
//!
//! [`from_json`] never panics on bad input: a payload that is not JSON, misses a required
//! field or holds a value outside an enum comes back as a [`ParseError`] naming the message
//! kind, the JSON path of the failing value and its line and column.

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::{Connection, Factsheet, InstantActions, Order, State, Topic, Visualization};

/// A VDA 5050 message type, tied to the topic it travels on.
pub trait Message: Serialize + DeserializeOwned {
    /// The topic this message travels on.
    const TOPIC: Topic;
}

impl Message for Order {
    const TOPIC: Topic = Topic::Order;
}

impl Message for InstantActions {
    const TOPIC: Topic = Topic::InstantActions;
}

impl Message for State {
    const TOPIC: Topic = Topic::State;
}

impl Message for Visualization {
    const TOPIC: Topic = Topic::Visualization;
}

impl Message for Connection {
    const TOPIC: Topic = Topic::Connection;
}

impl Message for Factsheet {
    const TOPIC: Topic = Topic::Factsheet;
}

/// A message that could not be read; serde's reason is the [source](std::error::Error::source).
///
/// For a missing field the path is that of the object lacking it and the reason names the
/// field; for a wrong value the path leads to the value itself.
#[derive(Debug, Error)]
#[error("invalid {topic} message at `{path}` (line {line}, column {column})", line = .source.line(), column = .source.column())]
pub struct ParseError {
    topic: Topic,
    path: String,
    #[source]
    source: serde_json::Error,
}

impl ParseError {
    /// The kind of message that was being read.
    pub fn topic(&self) -> Topic {
        self.topic
    }

    /// JSON path of the failing value, e.g. `nodes[1].actions[0].blockingType`; `.` is the
    /// message itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Line of the payload where reading stopped, from 1.
    pub fn line(&self) -> usize {
        self.source.line()
    }

    /// Column of the payload where reading stopped, from 1.
    pub fn column(&self) -> usize {
        self.source.column()
    }
}

/// Reads a message of kind `M` from JSON bytes.
///
/// Fields the schema does not know are ignored, as the standard allows vendors to add some.
///
/// # Errors
/// [`ParseError`] if the bytes are not JSON or do not match `M`.
///
/// # Examples
/// ```
/// use vda5050::{Connection, ConnectionState, from_json};
/// let payload = br#"{"headerId": 3, "timestamp": "2026-03-11T11:40:03.12Z", "version": "2.1.0",
///     "manufacturer": "gatefleet", "serialNumber": "agv-07", "connectionState": "ONLINE"}"#;
/// let connection: Connection = from_json(payload)?;
/// assert_eq!(connection.connection_state, ConnectionState::Online);
///
/// let err = from_json::<Connection>(b"{\"headerId\": 3}").unwrap_err();
/// assert_eq!(err.path(), ".");
/// # Ok::<(), vda5050::ParseError>(())
/// ```
pub fn from_json<M: Message>(bytes: &[u8]) -> Result<M, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let message: M =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| ParseError {
            topic: M::TOPIC,
            path: err.path().to_string(),
            source: err.into_inner(),
        })?;

    // trailing bytes after the message are refused like serde_json::from_slice does
    deserializer.end().map_err(|source| ParseError {
        topic: M::TOPIC,
        path: ".".to_owned(),
        source,
    })?;
    Ok(message)
}

/// Writes a message as compact JSON bytes.
///
/// A non-finite float is written as `null`, which the schemas refuse: callers keep their
/// numbers finite.
pub fn to_json<M: Message>(message: &M) -> Vec<u8> {
    serde_json::to_vec(message).expect("messages have string keys only, so writing cannot fail")
}
