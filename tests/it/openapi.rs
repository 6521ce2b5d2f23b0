//! The OpenAPI document at `/api/v1/openapi.json` describes every routed API
//! operation, and only those, and is structurally valid: parameters where
//! they are, required bodies, the shared error answers, resolvable `$ref`s.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::both_databases;
use crate::harness::{client, TestApp};

both_databases!(
    every_routed_api_operation_is_documented,
    the_document_is_structurally_valid,
);

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document(app: &TestApp) -> Value {
    let res = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// A concrete address for a route pattern.
fn example(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|s| if s.starts_with('{') { "1" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_routed_api_operation_is_documented(app: &TestApp) {
    let doc = document(app).await;
    let paths = doc["paths"].as_object().unwrap();
    let routes = tremplin::app::routes();
    let api: BTreeSet<&str> = routes
        .policies()
        .iter()
        .map(|p| p.path)
        .filter(|p| p.starts_with("/api/"))
        .collect();
    // Paths of the document are exactly the routed API paths.
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(documented, api);
    assert!(api.len() >= 11, "{api:?}");
    // Per path, the methods the router answers (anything but 405) are documented, and no more.
    let mut operations = 0;
    for path in api {
        let url = app.url(&example(path));
        for method in METHODS {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = client().request(m, &url).send().await.unwrap();
            let routed = res.status() != 405;
            let described = paths[path].get(method).is_some();
            assert_eq!(
                routed,
                described,
                "{method} {path}: routed {routed}, documented {described} ({})",
                res.status()
            );
            operations += usize::from(routed);
        }
    }
    assert!(operations >= 14, "{operations} operations");
    // An API route cannot be registered without its annotation.
    let plain = std::panic::catch_unwind(|| {
        tremplin::web::access::Routes::new().route(
            "/api/v1/undocumented",
            tremplin::web::access::Access::Public,
            axum::routing::get(|| async { "x" }),
        )
    });
    assert!(plain.is_err());
}

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r);
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

async fn the_document_is_structurally_valid(app: &TestApp) {
    let doc = document(app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(!doc["info"]["title"].as_str().unwrap().is_empty());
    assert!(!doc["info"]["version"].as_str().unwrap().is_empty());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let mut ids = BTreeSet::new();
    let mut links = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        let in_path: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_string)
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let here = format!("{method} {path}");
            assert!(METHODS.contains(&method.as_str()), "{here}");
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                !id.is_empty() && ids.insert(id.to_string()),
                "{here}: operationId {id}"
            );
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut declared = BTreeSet::new();
            for p in &params {
                let name = p["name"].as_str().unwrap().to_string();
                match p["in"].as_str().unwrap() {
                    "path" => {
                        assert_eq!(p["required"], true, "{here}: {name}");
                        assert!(in_path.contains(&name), "{here}: {name} is not in the path");
                        declared.insert(name.clone());
                    }
                    "query" | "header" => {
                        assert!(!in_path.contains(&name), "{here}: {name}");
                    }
                    other => panic!("{here}: {name} in {other}"),
                }
                assert!(p["schema"].is_object(), "{here}: {name} has no schema");
            }
            assert_eq!(declared, in_path, "{here}: path parameters");
            if let Some(body) = op.get("requestBody") {
                assert_eq!(body["required"], true, "{here}: body not required");
                assert!(
                    body["content"]["application/json"]["schema"].is_object(),
                    "{here}"
                );
            }
            let responses = op["responses"].as_object().unwrap();
            for (status, r) in responses {
                for (name, link) in r["links"].as_object().into_iter().flatten() {
                    links.push((format!("{here} {status} {name}"), link.clone()));
                }
            }
            let success = responses.keys().filter(|s| s.starts_with('2')).count();
            assert_eq!(success, 1, "{here}: one success answer");
            let mut needed = vec!["400", "503"];
            if op.get("security").is_some() {
                needed.extend(["401", "403"]);
            }
            if !in_path.is_empty() {
                needed.push("404");
            }
            if op.get("requestBody").is_some() {
                needed.extend(["413", "415", "422"]);
            }
            for s in needed {
                assert!(responses.contains_key(s), "{here}: {s} undocumented");
            }
            for (status, r) in responses {
                let r = match r["$ref"].as_str() {
                    Some(name) => {
                        let name = name.trim_start_matches("#/components/responses/");
                        &doc["components"]["responses"][name]
                    }
                    None => r,
                };
                assert!(r["description"].is_string(), "{here} {status}");
                if !status.starts_with('2') {
                    assert_eq!(
                        r["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{here} {status}"
                    );
                }
            }
        }
    }
    // Links name an existing operation, in OpenAPI's spelling.
    assert!(links.len() >= 6, "{links:?}");
    for (at, link) in links {
        let target = link["operationId"].as_str().unwrap_or_default();
        assert!(ids.contains(target), "{at}: link to {target:?}: {link}");
        assert!(link.get("operation_id").is_none(), "{at}");
    }
    // Every reference resolves.
    let mut all = vec![];
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "unresolved {r}");
    }
    // The shared error schema.
    let problem = &doc["components"]["schemas"]["Problem"];
    let required: BTreeSet<&str> = problem["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, BTreeSet::from(["type", "title", "status"]));
}
