//! The error answers of the API, described once. Every operation may meet
//! the same failures (an unreadable address, a missing token, a body of the
//! wrong type, the database briefly unavailable), all answered with one
//! `application/problem+json` schema ([`Problem`](crate::web::problem::Problem)):
//! each operation's document gets them from what it takes (security, path
//! parameters, a body, an `Idempotency-Key`), so no operation forgets one.

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{OpenApi, Ref, RefOr, Required};

/// Content type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Shared responses: (status, component name, description).
const ANSWERS: [(&str, &str, &str); 9] = [
    (
        "400",
        "BadRequest",
        "The address or a parameter cannot be read (e.g. a NUL byte, a malformed number); `errors` names the field when there is one",
    ),
    ("401", "Unauthorized", "No valid bearer token"),
    ("403", "Forbidden", "The token's role may not do this"),
    ("404", "NotFound", "No such resource"),
    ("409", "Conflict", "The Idempotency-Key is in use by a request still in progress, or the resource changed"),
    ("413", "PayloadTooLarge", "The body is larger than the limit"),
    ("415", "UnsupportedMediaType", "The body is not `application/json`"),
    (
        "422",
        "Unprocessable",
        "The body is not valid for this operation; `errors` lists each invalid field",
    ),
    ("503", "Unavailable", "The service is briefly unavailable; retry later"),
];

/// Add the shared error responses to `doc` and to each of its operations;
/// request bodies are marked required (every operation that takes one needs it).
pub fn document(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    for (_, name, description) in ANSWERS {
        let response = ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build();
        components
            .responses
            .insert(name.to_string(), RefOr::T(response));
    }
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            let statuses = statuses_of(op);
            for status in statuses {
                let name = ANSWERS
                    .iter()
                    .find(|(s, _, _)| *s == status)
                    .map(|(_, n, _)| *n)
                    .expect("a shared answer");
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| {
                        RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
                    });
            }
            if let Some(body) = op.request_body.as_mut() {
                mark_required(body);
            }
        }
    }
}

/// utoipa 5.5 writes the fields of a Link Object in snake case
/// (`operation_id`); OpenAPI names them `operationId`, `operationRef`,
/// `requestBody`, and tools ignore links without them.
pub fn camel_case_links(doc: &mut serde_json::Value) {
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    let responses = paths
        .values_mut()
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut())
        .filter_map(|op| op.get_mut("responses").and_then(|r| r.as_object_mut()))
        .flat_map(|r| r.values_mut());
    for response in responses {
        let Some(links) = response.get_mut("links").and_then(|l| l.as_object_mut()) else {
            continue;
        };
        for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
            for (from, to) in [
                ("operation_id", "operationId"),
                ("operation_ref", "operationRef"),
                ("request_body", "requestBody"),
            ] {
                if let Some(v) = link.remove(from) {
                    link.insert(to.to_string(), v);
                }
            }
        }
    }
}

fn mark_required(body: &mut RequestBody) {
    body.required = Some(Required::True);
}

/// Every operation of a path item.
fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The error statuses an operation may answer, from what it takes.
fn statuses_of(op: &Operation) -> Vec<&'static str> {
    let params = op.parameters.as_deref().unwrap_or(&[]);
    let mut out = vec!["400", "503"];
    if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
        out.extend(["401", "403"]);
    }
    if params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path))
    {
        out.push("404");
    }
    if op.request_body.is_some() {
        out.extend(["413", "415", "422"]);
    }
    if params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("idempotency-key"))
    {
        out.extend(["409", "422"]);
    }
    out.dedup();
    out
}
