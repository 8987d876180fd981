//! The API's own OpenAPI document, read the way a client reads it: its operations, their query
//! parameters and the string fields of their JSON request bodies. For tests that go over every
//! route, so that a route added later is covered without anyone remembering to add it.

use crate::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// `GET /api/openapi.json`, as served.
pub struct Document(Value);

/// One operation of the document.
pub struct Operation<'a> {
    pub method: Method,
    /// As documented, with `{name}` for path parameters.
    pub path: &'a str,
    pub id: &'a str,
    spec: &'a Value,
}

impl std::fmt::Display for Operation<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({})", self.method, self.path, self.id)
    }
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

impl Document {
    pub async fn fetch(app: &TestApp) -> Self {
        let response = app
            .http
            .get(format!("{}/api/openapi.json", app.address))
            .send()
            .await
            .expect("the API answers");
        assert_eq!(response.status(), StatusCode::OK);
        Self(response.json().await.expect("the document is JSON"))
    }

    /// Every operation, in the document's order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut found = Vec::new();
        for (path, item) in self.0["paths"].as_object().expect("paths") {
            for method in METHODS {
                if let Some(spec) = item.get(method) {
                    found.push(Operation {
                        method: method.to_uppercase().parse().expect("an HTTP method"),
                        path,
                        id: spec["operationId"].as_str().expect("an operationId"),
                        spec,
                    });
                }
            }
        }
        found
    }

    /// The schema `schema` refers to, if it is a reference.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(target) => self
                .0
                .pointer(target.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{target} resolves")),
            None => schema,
        }
    }

    /// The JSON path of every string in a value of `schema`, as the API names fields in its
    /// validation errors: `client_name`, `items[0].description` (arrays at their first element).
    pub fn string_fields(&self, schema: &Value) -> Vec<String> {
        let mut found = Vec::new();
        self.collect_strings(schema, "", &mut found);
        found
    }

    fn collect_strings(&self, schema: &Value, path: &str, found: &mut Vec<String>) {
        let schema = self.resolve(schema);
        for combined in ["oneOf", "anyOf", "allOf"] {
            for member in schema[combined].as_array().into_iter().flatten() {
                self.collect_strings(member, path, found);
            }
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.contains(&"string") && !path.is_empty() && !found.iter().any(|f| f == path) {
            found.push(path.to_owned());
        }
        if types.contains(&"array") {
            self.collect_strings(&schema["items"], &format!("{path}[0]"), found);
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                let nested = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                self.collect_strings(property, &nested, found);
            }
        }
    }

    /// The example of `schema` (following a reference), if it has one.
    pub fn example(&self, schema: &Value) -> Option<Value> {
        self.resolve(schema).get("example").cloned()
    }
}

impl Operation<'_> {
    /// Whether the operation needs `Authorization: Bearer <access token>`.
    pub fn needs_token(&self) -> bool {
        self.spec["security"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|requirement| requirement.get("bearer").is_some())
    }

    /// The schema of its JSON request body, if it takes one.
    pub fn json_body(&self) -> Option<&Value> {
        self.spec["requestBody"]["content"]
            .get("application/json")
            .map(|content| &content["schema"])
    }

    /// The names of its query parameters.
    pub fn query_parameters(&self) -> Vec<&str> {
        self.spec["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "query")
            .filter_map(|parameter| parameter["name"].as_str())
            .collect()
    }

    /// The path with every `{parameter}` replaced by `value`.
    pub fn path_with(&self, value: &str) -> String {
        let mut path = String::with_capacity(self.path.len());
        let mut rest = self.path;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').expect("a closed path parameter") + start;
            path.push_str(&rest[..start]);
            path.push_str(value);
            rest = &rest[end + 1..];
        }
        path.push_str(rest);
        path
    }
}

/// Replaces the value at `path` (as [`Document::string_fields`] names it) in `body`; the
/// field's parent must exist.
pub fn set_field(body: &mut Value, path: &str, value: Value) {
    let mut target = body;
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, index)) => (
                name,
                Some(
                    index
                        .trim_end_matches(']')
                        .parse::<usize>()
                        .expect("an array index"),
                ),
            ),
            None => (segment, None),
        };
        target = target
            .as_object_mut()
            .unwrap_or_else(|| panic!("the parent of {path} is an object"))
            .entry(name)
            .or_insert(Value::Null);
        if let Some(index) = index {
            target = target
                .get_mut(index)
                .unwrap_or_else(|| panic!("{path}: the request has no element {index}"));
        }
    }
    *target = value;
}

/// Whether `body` has a value at `path`.
pub fn has_field(body: &Value, path: &str) -> bool {
    let pointer: String = path
        .split('.')
        .map(|segment| match segment.split_once('[') {
            Some((name, index)) => format!("/{name}/{}", index.trim_end_matches(']')),
            None => format!("/{segment}"),
        })
        .collect();
    body.pointer(&pointer).is_some_and(|value| !value.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_fields_follow_references_arrays_and_nullable_types() {
        let document = Document(json!({
            "components": { "schemas": {
                "Item": { "type": "object", "properties": {
                    "description": { "type": "string" }, "quantity": { "type": "integer" }
                } }
            } }
        }));
        let schema = json!({ "type": "object", "properties": {
            "name": { "type": ["string", "null"] },
            "items": { "type": ["array", "null"], "items": { "$ref": "#/components/schemas/Item" } },
            "days": { "type": "array", "items": { "type": "integer" } }
        } });
        let mut fields = document.string_fields(&schema);
        fields.sort();
        assert_eq!(fields, ["items[0].description", "name"]);
    }

    #[test]
    fn fields_are_set_and_found_by_their_json_path() {
        let mut body = json!({ "items": [{ "description": "a" }], "notes": null });
        set_field(&mut body, "items[0].description", json!("b"));
        set_field(&mut body, "name", json!("c"));
        assert_eq!(body["items"][0]["description"], "b");
        assert_eq!(body["name"], "c");
        assert!(has_field(&body, "items[0].description"));
        assert!(!has_field(&body, "notes"));
        assert!(!has_field(&body, "missing"));
    }

    #[test]
    fn path_parameters_are_filled() {
        let spec = json!({});
        let operation = Operation {
            method: Method::GET,
            path: "/api/invoices/{id}/events",
            id: "x",
            spec: &spec,
        };
        assert_eq!(operation.path_with("42"), "/api/invoices/42/events");
    }
}
