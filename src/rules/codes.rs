//! Upper-case code enums. One table per enum gives `as_str`, `Display`, case-insensitive
//! `FromStr` and the serde names, so the spellings used in JSON, in the database and on the
//! command line cannot drift apart.

/// A value that is none of its enum's codes (e.g. `gsess mark 12 present`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}: expected one of {}", .expected.join(", "))]
pub struct UnknownCode {
    /// What was being parsed, e.g. "attendance status".
    pub kind: &'static str,
    /// The text as given.
    pub value: String,
    /// Every accepted code, upper case.
    pub expected: &'static [&'static str],
}

/// Declares a `Copy` enum whose variants each have one upper-case text.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($kind:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$($text),+].len()] = [$(Self::$variant),+];

            /// The upper-case text used in JSON, in the database and in messages.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Any case: the command line takes `late`, `Late` and `LATE` alike.
        impl std::str::FromStr for $name {
            type Err = $crate::rules::UnknownCode;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|value| value.as_str().eq_ignore_ascii_case(text))
                    .ok_or_else(|| $crate::rules::UnknownCode {
                        kind: $kind,
                        value: text.to_owned(),
                        expected: &[$($text),+],
                    })
            }
        }
    };
}
pub(crate) use code_enum;
