//! The NPI check digit (CMS: Luhn over the ten digits prefixed with `80840`, the NPI's
//! issuer prefix in the ISO 7812 card-number scheme).

/// Why an NPI is invalid; its `Display` is the arithmetic an issue or import error shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NpiError {
    #[error("{0:?} is not 10 digits")]
    NotTenDigits(String),
    #[error("check digit {found} ≠ {expected} (Luhn over 80840{stem})")]
    CheckDigit {
        stem: String,
        found: u32,
        expected: u32,
    },
}

/// Exactly ten ASCII digits whose last one is the check digit of the first nine.
pub fn check_npi(npi: &str) -> Result<(), NpiError> {
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NpiError::NotTenDigits(npi.to_owned()));
    }
    let (stem, last) = npi.split_at(9);
    let found = digit_values(last).sum();
    let expected = check_digit(stem);
    if found == expected {
        Ok(())
    } else {
        Err(NpiError::CheckDigit {
            stem: stem.to_owned(),
            found,
            expected,
        })
    }
}

pub fn is_valid_npi(npi: &str) -> bool {
    check_npi(npi).is_ok()
}

/// The check digit of a nine-digit stem (already known to be ASCII digits).
fn check_digit(stem: &str) -> u32 {
    // Luhn doubles every second digit counting from the right of the full number; the check
    // digit is the rightmost, so the stem's last digit is the first one doubled.
    let sum: u32 = digit_values("80840")
        .chain(digit_values(stem))
        .rev()
        .enumerate()
        .map(|(i, digit)| {
            if i % 2 == 0 {
                luhn_double(digit)
            } else {
                digit
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

fn luhn_double(digit: u32) -> u32 {
    let doubled = digit * 2;
    doubled / 10 + doubled % 10
}

fn digit_values(digits: &str) -> impl DoubleEndedIterator<Item = u32> + '_ {
    digits.bytes().map(|b| u32::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_numbers() {
        assert!(is_valid_npi("1234567893"));
        assert!(is_valid_npi("1245319599"));
        assert_eq!(check_digit("123456789"), 3);
        assert_eq!(check_digit("124531959"), 9);
    }

    #[test]
    fn a_wrong_check_digit_is_refused_with_the_expected_one() {
        assert!(!is_valid_npi("1234567890"));
        assert!(!is_valid_npi("1245319598"));
        let error = check_npi("1234567890").unwrap_err();
        assert_eq!(
            error.to_string(),
            "check digit 0 ≠ 3 (Luhn over 80840123456789)"
        );
    }

    #[test]
    fn only_ten_ascii_digits() {
        for bad in [
            "",
            "123456789",
            "12345678933",
            "123456789a",
            "a234567893",
            " 1234567893",
            "１234567893",
        ] {
            assert!(!is_valid_npi(bad), "{bad:?}");
        }
        assert_eq!(
            check_npi("12345").unwrap_err().to_string(),
            "\"12345\" is not 10 digits"
        );
    }

    #[test]
    fn every_stem_has_exactly_one_valid_check_digit() {
        let valid = (0..10)
            .filter(|digit| is_valid_npi(&format!("123456789{digit}")))
            .count();
        assert_eq!(valid, 1);
    }
}
