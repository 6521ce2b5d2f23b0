//! Form bodies whose bytes are not UTF-8: refused before any handler, with
//! the field named, instead of being decoded with U+FFFD in place of the
//! bytes (which would silently change what the person sent).

/// The field carried by a refused request, for the error page.
#[derive(Debug, Clone)]
pub struct BadField(pub String);

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decode one `application/x-www-form-urlencoded` component.
fn decode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// The name of the first field of a form body whose name or value is not
/// valid UTF-8 once decoded (`"?"` when the name itself is unreadable).
pub fn invalid_utf8_field(body: &[u8]) -> Option<String> {
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut kv = pair.splitn(2, |b| *b == b'=');
        let key = decode(kv.next().unwrap_or(b""));
        let value = decode(kv.next().unwrap_or(b""));
        let name = std::str::from_utf8(&key).ok();
        if name.is_none() || std::str::from_utf8(&value).is_err() {
            let shown = name
                .filter(|n| {
                    n.len() <= 60
                        && n.chars()
                            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '[' | ']'))
                })
                .unwrap_or("?");
            return Some(shown.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_with_invalid_bytes() {
        assert_eq!(
            invalid_utf8_field(b"name=Marie+Dupont&city=B%C3%A8gles"),
            None
        );
        assert_eq!(invalid_utf8_field(b"a=%"), None);
        assert_eq!(invalid_utf8_field(b"a=%4"), None);
        assert_eq!(
            invalid_utf8_field(b"name=Marie&message=caf%E9"),
            Some("message".into())
        );
        assert_eq!(
            invalid_utf8_field(b"name=Marie&message=caf\xe9"),
            Some("message".into())
        );
        assert_eq!(invalid_utf8_field(b"%FF=1"), Some("?".into()));
    }
}
