//! Loads the official VDA 5050 2.1.0 JSON schemas and validates messages against them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Context;
use serde_json::Value;
use vda5050::{Message, Topic, from_json, to_json};

/// The folder holding the official schemas, beside the repository.
fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/vda5050/v2.1.0")
}

/// One topic's official schema.
fn schema(topic: Topic) -> anyhow::Result<Value> {
    let path = schema_dir().join(format!("{topic}.schema"));
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path:?}"))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {path:?}"))
}

/// The validator for one topic's schema, with `format` (the timestamps' `date-time`) checked.
fn validator(topic: Topic) -> anyhow::Result<jsonschema::Validator> {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema(topic)?)
        .map_err(|err| anyhow::anyhow!("compiling the {topic} schema: {err}"))
}

/// Every schema violation of `json` as a topic message, as `path: reason` lines.
pub fn schema_errors(topic: Topic, json: &Value) -> Vec<String> {
    let validator = validator(topic).expect("the official schema loads");
    validator
        .iter_errors(json)
        .map(|err| format!("{}: {err}", err.instance_path()))
        .collect()
}

/// Writes `message`, checks the JSON against its official schema, reads it back and checks it
/// is unchanged.
pub fn assert_valid_and_round_trips<M: Message + PartialEq + std::fmt::Debug>(message: &M) {
    let bytes = to_json(message);
    let json: Value = serde_json::from_slice(&bytes).expect("we write JSON");
    let errors = schema_errors(M::TOPIC, &json);
    assert!(
        errors.is_empty(),
        "{} fails its schema:\n{}",
        M::TOPIC,
        errors.join("\n")
    );

    let read: M = from_json(&bytes).expect("what we write reads back");
    assert_eq!(&read, message, "{} changed in a round trip", M::TOPIC);
}

/// The error and its sources, as one line, to check what a reader of the log would see.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Every property the official schema of `topic` defines, as paths like
/// `/nodes[]/nodePosition/mapId` (`[]` for any array element).
pub fn schema_fields(topic: Topic) -> BTreeSet<String> {
    let root = schema(topic).expect("the official schema loads");
    let mut fields = BTreeSet::new();
    collect_schema_fields(&root, &root, "", &mut fields);
    fields
}

fn collect_schema_fields(node: &Value, root: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    // the schemas only refer to their own `#/definitions/...`
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let target = reference.trim_start_matches('#');
        let resolved = root
            .pointer(target)
            .expect("the schema's references resolve");
        return collect_schema_fields(resolved, root, prefix, out);
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let path = format!("{prefix}/{name}");
            collect_schema_fields(property, root, &path, out);
            out.insert(path);
        }
    }
    if let Some(items) = node.get("items") {
        collect_schema_fields(items, root, &format!("{prefix}[]"), out);
    }
}

/// Every field present in `json`, as paths in the form of [`schema_fields`].
pub fn json_fields(json: &Value) -> BTreeSet<String> {
    let mut fields = BTreeSet::new();
    collect_json_fields(json, "", &mut fields);
    fields
}

fn collect_json_fields(json: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match json {
        Value::Object(map) => {
            for (name, value) in map {
                let path = format!("{prefix}/{name}");
                collect_json_fields(value, &path, out);
                out.insert(path);
            }
        }
        Value::Array(items) => {
            let path = format!("{prefix}[]");
            items
                .iter()
                .for_each(|item| collect_json_fields(item, &path, out));
        }
        _ => {}
    }
}
