//! Tests of the identifiers' parsing: valid, invalid and edge cases per country.

use super::*;

const FTL_FR: &str = include_str!("../../../locales/fr/identifiers.ftl");
const FTL_EN: &str = include_str!("../../../locales/en/identifiers.ftl");

fn ok(kind: IdKind, raw: &str) -> String {
    match LegalId::parse(kind, raw) {
        Ok(id) => id.value,
        Err(e) => panic!("{raw:?} as {kind:?} refused: {e}"),
    }
}

fn err(kind: IdKind, raw: &str) -> IdError {
    match LegalId::parse(kind, raw) {
        Ok(id) => panic!("{raw:?} as {kind:?} accepted as {id:?}"),
        Err(e) => e,
    }
}

/// Independent Luhn, written differently from the one under test.
fn luhn_sum(digits: &str) -> u32 {
    let n = digits.len();
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            // Double every second digit counting from the right.
            if (n - i).is_multiple_of(2) {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                d
            }
        })
        .sum()
}

fn plain_digit_sum(digits: &str) -> u32 {
    digits.chars().map(|c| c.to_digit(10).unwrap()).sum()
}

#[test]
fn examples_checked_by_hand_arithmetic() {
    // The fixtures used below, verified independently of the parser.
    for siren in ["732829320", "552100554", "443061841", "356000000"] {
        assert_eq!(luhn_sum(siren) % 10, 0, "{siren}");
    }
    for siret in ["73282932000074", "44306184100047", "35600000000048"] {
        assert_eq!(luhn_sum(siret) % 10, 0, "{siret}");
    }
    // La Poste head office: Luhn-valid, digit sum 26 (not a multiple of 5).
    assert_eq!(plain_digit_sum("35600000000048"), 26);
    // La Poste establishment: digit sum 45, Luhn sum 48 (not Luhn-valid).
    assert_eq!(plain_digit_sum("35600000049837"), 45);
    assert_eq!(luhn_sum("35600000049837"), 48);
    // Fails both rules: digit sum 46, Luhn sum 49.
    assert_eq!(plain_digit_sum("35600000049838"), 46);
    assert_eq!(luhn_sum("35600000049838"), 49);
    // Not La Poste, digit sum 45 but Luhn sum 54.
    assert_eq!(plain_digit_sum("73282932000045"), 45);
    assert_ne!(luhn_sum("73282932000045") % 10, 0);
    // Belgium: 97 - (4031707 mod 97) = 97 - 96 = 1; 97 - (2032013 mod 97) = 40.
    assert_eq!(4_031_707 % 97, 96);
    assert_eq!(2_032_013 % 97, 57);
    // Luxembourg VAT: 150274 mod 89 = 42.
    assert_eq!(150_274 % 89, 42);
}

#[test]
fn siren_valid() {
    assert_eq!(ok(IdKind::Siren, "732829320"), "732829320");
    assert_eq!(ok(IdKind::Siren, "552100554"), "552100554");
    assert_eq!(ok(IdKind::Siren, "443061841"), "443061841");
    assert_eq!(ok(IdKind::Siren, "356000000"), "356000000");
}

#[test]
fn separators_and_spaces_accepted() {
    assert_eq!(ok(IdKind::Siren, "732 829 320"), "732829320");
    assert_eq!(ok(IdKind::Siren, "  732.829.320 \n"), "732829320");
    assert_eq!(ok(IdKind::Siren, "732-829/320"), "732829320");
    assert_eq!(ok(IdKind::Siren, "732\u{a0}829\u{202f}320"), "732829320");
    assert_eq!(ok(IdKind::Siret, "732 829 320 00074"), "73282932000074");
    assert_eq!(ok(IdKind::BeEnterprise, "0403.170.701"), "0403170701");
    assert_eq!(ok(IdKind::LuVat, "LU 150 274 42"), "LU15027442");
    assert_eq!(ok(IdKind::LuVat, "lu15027442"), "LU15027442");
}

#[test]
fn empty_and_bad_characters() {
    assert_eq!(err(IdKind::Siren, ""), IdError::Empty);
    assert_eq!(err(IdKind::Siren, "   \t "), IdError::Empty);
    assert_eq!(err(IdKind::Siren, " . - / "), IdError::Empty);
    assert_eq!(err(IdKind::Siren, "732_829_320"), IdError::BadCharacters);
    assert_eq!(err(IdKind::Siren, "732,829,320"), IdError::BadCharacters);
    assert_eq!(err(IdKind::Siren, "73282932é"), IdError::BadCharacters);
    assert_eq!(
        err(IdKind::Siren, "７３２８２９３２０"),
        IdError::BadCharacters
    );
    assert_eq!(err(IdKind::LuRcs, "B:123"), IdError::BadCharacters);
    assert_eq!(err(IdKind::Ridet, "1234567.001!"), IdError::BadCharacters);
}

#[test]
fn siren_refused() {
    let kind = IdKind::Siren;
    assert_eq!(err(kind, "732829321"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "732829330"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "73282932"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "7328293200"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "73282932A"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "SIREN732829320"), IdError::BadFormat { kind });
    // A SIRET is not a SIREN.
    assert_eq!(err(kind, "73282932000074"), IdError::WrongLength { kind });
}

#[test]
fn siret_valid_and_refused() {
    let kind = IdKind::Siret;
    assert_eq!(ok(kind, "73282932000074"), "73282932000074");
    assert_eq!(ok(kind, "44306184100047"), "44306184100047");
    assert_eq!(err(kind, "73282932000075"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "44306184100048"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "732829320"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "7328293200007"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "7328293200007X"), IdError::BadFormat { kind });
    // Digit sum multiple of 5 does not help outside La Poste.
    assert_eq!(err(kind, "73282932000045"), IdError::BadCheckDigit { kind });
}

#[test]
fn siret_la_poste_exception() {
    let kind = IdKind::Siret;
    // Head office: Luhn-valid (sum-of-5 not needed).
    assert_eq!(ok(kind, "35600000000048"), "35600000000048");
    // Fails Luhn, digit sum 45: accepted.
    assert_eq!(ok(kind, "356 000 000 49837"), "35600000049837");
    // Fails Luhn and digit sum 46: refused.
    assert_eq!(err(kind, "35600000049838"), IdError::BadCheckDigit { kind });
    let id = LegalId::parse(kind, "35600000049837").unwrap();
    assert_eq!(id.siren(), Some("356000000"));
}

#[test]
fn belgian_enterprise_number() {
    let kind = IdKind::BeEnterprise;
    assert_eq!(ok(kind, "0403170701"), "0403170701");
    assert_eq!(ok(kind, "0203201340"), "0203201340");
    assert_eq!(ok(kind, "0203.201.340"), "0203201340");
    // VAT form.
    assert_eq!(ok(kind, "BE0403170701"), "0403170701");
    assert_eq!(ok(kind, "BE 0403.170.701"), "0403170701");
    assert_eq!(ok(kind, "be0403170701"), "0403170701");
    // Old 9-digit form.
    assert_eq!(ok(kind, "403170701"), "0403170701");
    assert_eq!(ok(kind, "403.170.701"), "0403170701");
    assert_eq!(ok(kind, "BE403170701"), "0403170701");
    assert_eq!(err(kind, "0403170702"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "0403170801"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "04031707"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "04031707011"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "2403170701"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "FR0403170701"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "04O3170701"), IdError::BadFormat { kind });
}

#[test]
fn belgian_check_of_97() {
    // When the first 8 digits are a multiple of 97 the check is 97.
    let first8 = 97 * 41_000; // 03977000
    let raw = format!("{first8:08}97");
    assert_eq!(ok(IdKind::BeEnterprise, &raw), raw);
}

#[test]
fn luxembourg_rcs() {
    let kind = IdKind::LuRcs;
    assert_eq!(ok(kind, "B123456"), "B123456");
    assert_eq!(ok(kind, "b 123 456"), "B123456");
    assert_eq!(ok(kind, "B-123456"), "B123456");
    assert_eq!(ok(kind, "A1"), "A1");
    assert_eq!(ok(kind, "K000123"), "K000123");
    for letter in ["A", "C", "D", "E", "F", "G", "H", "J"] {
        assert_eq!(ok(kind, &format!("{letter}42")), format!("{letter}42"));
    }
    assert_eq!(err(kind, "I123"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "L123"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "123456"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "BB123"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "B12A"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "B000"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "B"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "B1234567"), IdError::WrongLength { kind });
}

#[test]
fn luxembourg_vat() {
    let kind = IdKind::LuVat;
    assert_eq!(ok(kind, "LU15027442"), "LU15027442");
    assert_eq!(ok(kind, "15027442"), "LU15027442");
    assert_eq!(ok(kind, "LU 150 274 42"), "LU15027442");
    assert_eq!(err(kind, "LU15027443"), IdError::BadCheckDigit { kind });
    assert_eq!(err(kind, "LU1502744"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "LU150274420"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "BE15027442"), IdError::BadFormat { kind });
    assert_eq!(err(kind, "LU"), IdError::BadFormat { kind });
}

#[test]
fn ridet_forms() {
    let kind = IdKind::Ridet;
    assert_eq!(ok(kind, "1234567.001"), "1234567001");
    assert_eq!(ok(kind, "1234567 001"), "1234567001");
    assert_eq!(ok(kind, "1234567001"), "1234567001");
    assert_eq!(ok(kind, "1 234 567.001"), "1234567001");
    assert_eq!(ok(kind, "1234567-001"), "1234567001");
    assert_eq!(ok(kind, "1234567"), "1234567000");
    // 6-digit company numbers get a leading zero.
    assert_eq!(ok(kind, "123456"), "0123456000");
    assert_eq!(ok(kind, "123456.002"), "0123456002");
    assert_eq!(ok(kind, "123456002"), "0123456002");
    assert_eq!(err(kind, "1234567.01"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "1234567."), IdError::WrongLength { kind });
    assert_eq!(err(kind, "12345.001"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "12345678.001"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "12345"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "12345678"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "12345678901"), IdError::WrongLength { kind });
    assert_eq!(err(kind, "123456A.001"), IdError::BadFormat { kind });
}

#[test]
fn detection_by_country() {
    let parse = LegalId::parse_for_country;
    assert_eq!(
        parse(Country::Fr, "732 829 320").unwrap().kind,
        IdKind::Siren
    );
    assert_eq!(
        parse(Country::Fr, "73282932000074").unwrap().kind,
        IdKind::Siret
    );
    assert_eq!(
        parse(Country::Fr, "73282932"),
        Err(IdError::WrongLength {
            kind: IdKind::Siren
        })
    );
    assert_eq!(
        parse(Country::Fr, "7328293200007"),
        Err(IdError::WrongLength {
            kind: IdKind::Siret
        })
    );
    assert_eq!(
        parse(Country::Fr, "73282932000075"),
        Err(IdError::BadCheckDigit {
            kind: IdKind::Siret
        })
    );
    assert_eq!(
        parse(Country::Be, "BE0403170701").unwrap().kind,
        IdKind::BeEnterprise
    );
    assert_eq!(parse(Country::Lu, "B123456").unwrap().kind, IdKind::LuRcs);
    assert_eq!(
        parse(Country::Lu, "LU15027442").unwrap().kind,
        IdKind::LuVat
    );
    assert_eq!(parse(Country::Lu, "15027442").unwrap().kind, IdKind::LuVat);
    assert_eq!(
        parse(Country::Lu, "lu 150 274 42").unwrap().kind,
        IdKind::LuVat
    );
    assert_eq!(
        parse(Country::Lu, "X123"),
        Err(IdError::BadFormat {
            kind: IdKind::LuRcs
        })
    );
    assert_eq!(
        parse(Country::Lu, "123456"),
        Err(IdError::WrongLength {
            kind: IdKind::LuVat
        })
    );
    assert_eq!(
        parse(Country::Nc, "1234567.001").unwrap().kind,
        IdKind::Ridet
    );
    assert_eq!(parse(Country::Fr, "  "), Err(IdError::Empty));
    assert_eq!(parse(Country::Be, "0403;170"), Err(IdError::BadCharacters));
    for country in Country::ALL {
        let id = parse(
            country,
            match country {
                Country::Fr => "732829320",
                Country::Be => "0403170701",
                Country::Lu => "B1",
                Country::Nc => "1234567",
            },
        )
        .unwrap();
        assert_eq!(id.country(), country);
        assert!(country.kinds().contains(&id.kind));
    }
}

#[test]
fn kind_code_from_form() {
    let id = LegalId::parse_with_kind_code("siren", "732829320").unwrap();
    assert_eq!(id.kind, IdKind::Siren);
    assert_eq!(
        LegalId::parse_with_kind_code("vat", "732829320"),
        Err(IdError::UnknownKind)
    );
}

#[test]
fn display_forms() {
    let show = |kind, raw| LegalId::parse(kind, raw).unwrap().display();
    assert_eq!(show(IdKind::Siren, "732829320"), "732 829 320");
    assert_eq!(show(IdKind::Siret, "73282932000074"), "732 829 320 00074");
    assert_eq!(show(IdKind::BeEnterprise, "BE403170701"), "0403.170.701");
    assert_eq!(show(IdKind::LuRcs, "b 123456"), "B123456");
    assert_eq!(show(IdKind::LuVat, "15027442"), "LU15027442");
    assert_eq!(show(IdKind::Ridet, "1234567 001"), "1234567.001");
    assert_eq!(show(IdKind::Ridet, "123456"), "0123456.000");
    // Display forms parse back to the same value.
    for (kind, raw) in [
        (IdKind::Siren, "732829320"),
        (IdKind::Siret, "73282932000074"),
        (IdKind::BeEnterprise, "0203201340"),
        (IdKind::LuRcs, "B123456"),
        (IdKind::LuVat, "LU15027442"),
        (IdKind::Ridet, "1234567001"),
    ] {
        let id = LegalId::parse(kind, raw).unwrap();
        assert_eq!(LegalId::parse(kind, &id.display()), Ok(id));
    }
}

#[test]
fn siren_of_siret() {
    let siret = LegalId::parse(IdKind::Siret, "73282932000074").unwrap();
    assert_eq!(siret.siren(), Some("732829320"));
    let siren = LegalId::parse(IdKind::Siren, "732829320").unwrap();
    assert_eq!(siren.siren(), Some("732829320"));
    let be = LegalId::parse(IdKind::BeEnterprise, "0403170701").unwrap();
    assert_eq!(be.siren(), None);
}

#[test]
fn codes_round_trip() {
    for country in Country::ALL {
        assert_eq!(Country::from_code(country.code()), Some(country));
        let lower = country.code().to_ascii_lowercase();
        assert_eq!(Country::from_code(&lower), Some(country));
        for kind in country.kinds() {
            assert_eq!(kind.country(), country);
        }
    }
    assert_eq!(Country::from_code("DE"), None);
    assert_eq!(Country::from_code(""), None);
    for kind in IdKind::ALL {
        assert_eq!(IdKind::from_code(kind.code()), Some(kind));
        assert!(kind.country().kinds().contains(&kind));
    }
    assert_eq!(IdKind::from_code("vat"), None);
    assert_eq!(IdKind::from_code("SIREN"), None);
}

#[test]
fn error_keys_are_distinct_and_display_is_short() {
    let all = IdError::all();
    assert_eq!(all.len(), 3 + 3 * IdKind::ALL.len());
    let mut keys: Vec<_> = all.iter().map(|e| e.key()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), all.len());
    for e in &all {
        let text = e.to_string();
        assert!(!text.is_empty() && text.len() < 60, "{text}");
        let suffix = e.kind().map(|k| k.code().replace('_', "-"));
        match suffix {
            Some(suffix) => assert!(e.key().ends_with(&format!("-{suffix}")), "{e:?}"),
            None => assert!(e.key().starts_with("id-error-"), "{e:?}"),
        }
    }
    assert_eq!(
        IdError::WrongLength {
            kind: IdKind::Siren
        }
        .to_string(),
        "wrong length for SIREN"
    );
    assert_eq!(
        IdError::BadCheckDigit {
            kind: IdKind::Siret
        }
        .key(),
        "id-error-checksum-siret"
    );
    assert_eq!(
        IdError::BadFormat {
            kind: IdKind::LuRcs
        }
        .key(),
        "id-error-format-lu-rcs"
    );
}

/// Every message id the module can hand out.
fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = IdError::all().iter().map(|e| e.key()).collect();
    keys.extend(IdKind::ALL.map(IdKind::label_key));
    keys.extend(Country::ALL.map(Country::label_key));
    keys.push(HINT_KEY);
    keys
}

/// Message ids defined in a Fluent file (lines starting with an identifier and " =").
fn ftl_ids(src: &str) -> Vec<&str> {
    src.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id))
        .collect()
}

#[test]
fn every_key_is_translated() {
    for (name, src) in [("fr", FTL_FR), ("en", FTL_EN)] {
        for key in all_keys() {
            assert!(
                src.lines()
                    .any(|line| line.starts_with(&format!("{key} ="))),
                "{key} missing in {name}/identifiers.ftl"
            );
        }
    }
}

#[test]
fn translation_files_hold_exactly_the_keys() {
    let mut expected = all_keys();
    expected.sort_unstable();
    for (name, src) in [("fr", FTL_FR), ("en", FTL_EN)] {
        let mut ids = ftl_ids(src);
        for id in &ids {
            assert!(id.starts_with("id-"), "{name}: {id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}: {id}"
            );
        }
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "{name}: duplicate message ids");
        assert_eq!(ids, expected, "{name}: message ids differ from the code");
        // Plain messages only: no terms, attributes or placeables.
        for line in src.lines() {
            assert!(!line.starts_with('-'), "{name}: term in {line:?}");
            assert!(
                !line.trim_start().starts_with('.'),
                "{name}: attribute in {line:?}"
            );
            assert!(!line.contains('{'), "{name}: placeable in {line:?}");
        }
    }
}
