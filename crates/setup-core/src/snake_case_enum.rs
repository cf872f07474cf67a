//! [`snake_case_enum!`](crate::snake_case_enum): the one definition of the product's name enums
//! (error, issue, finding and step codes, severities, modes): fieldless, compared and hashed, and
//! spelled in snake_case the same way on the wire (serde), in TypeScript (ts-rs) and as text
//! (strum, with every variant listed by `EnumIter`).

/// Declares a fieldless enum with `Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS,
/// strum::IntoStaticStr, strum::EnumIter`, serde and strum in snake_case. Doc comments, extra
/// derives (e.g. `Deserialize`, `strum::EnumString`) and their attributes go before `enum`.
#[macro_export]
macro_rules! snake_case_enum {
    ($(#[$attr:meta])* $vis:vis enum $name:ident { $($body:tt)* }) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            ::serde::Serialize,
            ::ts_rs::TS,
            ::strum::IntoStaticStr,
            ::strum::EnumIter,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        $(#[$attr])*
        $vis enum $name { $($body)* }
    };
}
