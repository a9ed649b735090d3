//! VDA 5050 topics and the key expressions they are published on.
//!
//! The standard's MQTT topic is `interfaceName/majorVersion/manufacturer/serialNumber/topic`;
//! we put a site prefix in front, so that one transport can carry several lanes:
//! `{site}/uagv/v2/{manufacturer}/{serialNumber}/{topic}`. The same levels work as a Zenoh key
//! expression as long as no part holds a separator or a wildcard, which [`key_expr`] checks.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// The interface name and major version levels of every key expression.
pub const INTERFACE_LEVELS: &str = "uagv/v2";

/// Characters a key expression part must not hold: level separator, Zenoh and MQTT wildcards,
/// Zenoh's `$` escapes and `?` that starts a selector's parameters.
const FORBIDDEN: [char; 5] = ['/', '*', '$', '#', '?'];

/// One of the six VDA 5050 topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// `order`, manager to AGV.
    Order,
    /// `instantActions`, manager to AGV.
    InstantActions,
    /// `state`, AGV to manager.
    State,
    /// `visualization`, AGV to displays.
    Visualization,
    /// `connection`, AGV (or its last will) to manager.
    Connection,
    /// `factsheet`, AGV to manager.
    Factsheet,
}

impl Topic {
    /// Every topic, in the order of the standard.
    pub const ALL: [Topic; 6] = [
        Topic::Order,
        Topic::InstantActions,
        Topic::State,
        Topic::Visualization,
        Topic::Connection,
        Topic::Factsheet,
    ];

    /// The topic's level as written in key expressions, e.g. `instantActions`.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Order => "order",
            Topic::InstantActions => "instantActions",
            Topic::State => "state",
            Topic::Visualization => "visualization",
            Topic::Connection => "connection",
            Topic::Factsheet => "factsheet",
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Topic {
    type Err = TopicError;

    fn from_str(level: &str) -> Result<Self, Self::Err> {
        Topic::ALL
            .into_iter()
            .find(|topic| topic.as_str() == level)
            .ok_or_else(|| TopicError::UnknownTopic {
                level: level.to_owned(),
            })
    }
}

/// A variable part of a key expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyPart {
    /// The site prefix.
    Site,
    /// The AGV's manufacturer.
    Manufacturer,
    /// The AGV's serial number.
    SerialNumber,
}

impl fmt::Display for KeyPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyPart::Site => "site",
            KeyPart::Manufacturer => "manufacturer",
            KeyPart::SerialNumber => "serial number",
        })
    }
}

/// Why a key expression or topic level was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TopicError {
    /// A part is empty, which would leave an empty level.
    #[error("{part} is empty")]
    EmptyPart {
        /// The empty part.
        part: KeyPart,
    },
    /// A part holds a level separator or a wildcard.
    #[error("{part} {value:?} contains {forbidden:?}, which cannot appear in a key level")]
    ForbiddenChar {
        /// The offending part.
        part: KeyPart,
        /// Its value.
        value: String,
        /// The first forbidden character in it.
        forbidden: char,
    },
    /// A topic level that is none of the six topics.
    #[error("{level:?} is not a VDA 5050 topic")]
    UnknownTopic {
        /// The level as received.
        level: String,
    },
}

/// The key expression `{site}/uagv/v2/{manufacturer}/{serial_number}/{topic}`.
///
/// # Errors
/// [`TopicError::EmptyPart`] or [`TopicError::ForbiddenChar`] naming the first bad part
/// (site, then manufacturer, then serial number).
///
/// # Examples
/// ```
/// use vda5050::{Topic, key_expr};
/// let key = key_expr("huu-nghi", "gatefleet", "agv-07", Topic::State)?;
/// assert_eq!(key, "huu-nghi/uagv/v2/gatefleet/agv-07/state");
/// assert!(key_expr("huu-nghi", "gatefleet", "agv/07", Topic::State).is_err());
/// # Ok::<(), vda5050::TopicError>(())
/// ```
pub fn key_expr(
    site: &str,
    manufacturer: &str,
    serial_number: &str,
    topic: Topic,
) -> Result<String, TopicError> {
    Ok(format!(
        "{}/{topic}",
        vehicle_prefix(site, manufacturer, serial_number)?
    ))
}

/// The key expression `{site}/uagv/v2/{manufacturer}/{serial_number}` under which an AGV's
/// topics lie (and, with Zenoh, its liveliness token).
///
/// # Errors
/// As [`key_expr`].
pub fn vehicle_prefix(
    site: &str,
    manufacturer: &str,
    serial_number: &str,
) -> Result<String, TopicError> {
    check_part(KeyPart::Site, site)?;
    check_part(KeyPart::Manufacturer, manufacturer)?;
    check_part(KeyPart::SerialNumber, serial_number)?;
    Ok(format!(
        "{site}/{INTERFACE_LEVELS}/{manufacturer}/{serial_number}"
    ))
}

fn check_part(part: KeyPart, value: &str) -> Result<(), TopicError> {
    if value.is_empty() {
        return Err(TopicError::EmptyPart { part });
    }
    match value.chars().find(|c| FORBIDDEN.contains(c)) {
        Some(forbidden) => Err(TopicError::ForbiddenChar {
            part,
            value: value.to_owned(),
            forbidden,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_level_reads_back() {
        for topic in Topic::ALL {
            assert_eq!(topic.as_str().parse::<Topic>(), Ok(topic));
        }
        assert!(matches!(
            "States".parse::<Topic>(),
            Err(TopicError::UnknownTopic { .. })
        ));
    }

    #[test]
    fn key_expr_follows_the_topic_levels() {
        let key = key_expr("tan-thanh", "gatefleet", "AGV_12", Topic::InstantActions);
        assert_eq!(
            key.as_deref(),
            Ok("tan-thanh/uagv/v2/gatefleet/AGV_12/instantActions")
        );
    }

    #[test]
    fn separators_and_wildcards_are_refused_naming_the_part() {
        let cases = [
            (("a/b", "m", "s"), KeyPart::Site, '/'),
            (("site", "m*", "s"), KeyPart::Manufacturer, '*'),
            (("site", "m", "s$x"), KeyPart::SerialNumber, '$'),
            (("site", "m", "#"), KeyPart::SerialNumber, '#'),
            (("si?te", "m", "s"), KeyPart::Site, '?'),
        ];
        for ((site, manufacturer, serial), part, forbidden) in cases {
            let err = key_expr(site, manufacturer, serial, Topic::Order).unwrap_err();
            assert!(
                matches!(&err, TopicError::ForbiddenChar { part: p, forbidden: f, .. }
                    if *p == part && *f == forbidden),
                "{err}"
            );
        }
    }

    #[test]
    fn empty_part_is_refused() {
        let err = key_expr("site", "", "s", Topic::Order).unwrap_err();
        assert_eq!(
            err,
            TopicError::EmptyPart {
                part: KeyPart::Manufacturer
            }
        );
        assert_eq!(err.to_string(), "manufacturer is empty");
    }
}
