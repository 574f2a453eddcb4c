//! Money: exact decimals, never floats; two decimals in JSON (`"45.00"`) and on screen; and
//! the range the database stores (`numeric(12, 2)`).

use rust_decimal::Decimal;

/// Amounts stored as `numeric(12, 2)` hold at most 10 digits before the point.
const LIMIT: i64 = 10_000_000_000;

/// The amount rounded to cents, with exactly two decimals (`45` → `45.00`).
pub fn cents(amount: Decimal) -> Decimal {
    let mut cents = amount.round_dp(2);
    cents.rescale(2);
    cents
}

/// `"45.00"`.
pub fn format(amount: Decimal) -> String {
    cents(amount).to_string()
}

/// Money in JSON: a string with exactly two decimals. For `#[serde(serialize_with = …)]`.
pub fn serialize<S: serde::Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&cents(*amount))
}

/// An optional amount in JSON: a money string, or `null`.
pub fn serialize_option<S: serde::Serializer>(
    amount: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match amount {
        Some(amount) => serialize(amount, serializer),
        None => serializer.serialize_none(),
    }
}

/// A rate per unit as a band may hold it: not negative, whole cents, within the column.
pub fn check_rate(value: Decimal) -> Result<(), String> {
    if value.is_sign_negative() && !value.is_zero() {
        Err(format!("rate must be ≥ 0, not {value}"))
    } else if value.round_dp(2) != value {
        Err(format!("rate {value} has more than 2 decimals"))
    } else if value >= Decimal::from(LIMIT) {
        Err(format!("rate {value} is too large"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimals_always() {
        assert_eq!(format(Decimal::new(45, 0)), "45.00");
        assert_eq!(format(Decimal::new(4550, 2)), "45.50");
        assert_eq!(format(Decimal::new(12346, 3)), "12.35");
        assert_eq!(
            serde_json::to_string(&Wrapper(Decimal::new(1999, 2))).unwrap(),
            "\"19.99\""
        );
    }

    #[derive(serde::Serialize)]
    struct Wrapper(#[serde(serialize_with = "serialize")] Decimal);

    #[test]
    fn rates_are_whole_cents_in_range() {
        assert!(check_rate(Decimal::new(4500, 2)).is_ok());
        assert!(check_rate(Decimal::ZERO).is_ok());
        assert!(check_rate(Decimal::new(-1, 2)).is_err());
        assert!(check_rate(Decimal::new(4501, 3)).is_err());
        assert!(check_rate(Decimal::from(LIMIT)).is_err());
    }
}
