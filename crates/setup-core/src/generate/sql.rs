//! `database/create-analysis-db.sql`: the QA analysis-source database with UTF8 encoding, for
//! GaussDB or PostgreSQL (seed §5.1), and the query that proves the encoding afterwards; and the
//! one check of a typed database name that both the bundle and the Database step use.

use super::GENERATED_BY;
use crate::plan::DatabaseKind;
use crate::validate::{DbName, Issue, database_name, field, issues_of};
use serde::Serialize;
use ts_rs::TS;

/// The script for a typed database name, once the name is valid.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DatabaseSql {
    /// `None` while the name has an error.
    pub sql: Option<String>,
    /// The name's issues (field `database.name`), in English and Chinese.
    pub issues: Vec<Issue>,
}

/// Validates a database name as typed (surrounding white space is ignored) and gives the script
/// for `kind` once it is valid.
pub fn check(kind: DatabaseKind, name: &str) -> DatabaseSql {
    let (name, issues) = issues_of(field::DATABASE_NAME, database_name(name.trim()));
    DatabaseSql {
        sql: name.map(|n| create_database_sql(kind, &n)),
        issues,
    }
}

/// The SQL script for a database kind and a validated name.
pub fn create_database_sql(kind: DatabaseKind, name: &DbName) -> String {
    let name = name.as_str();
    let product = kind.display_name();
    let console_note = match kind {
        DatabaseKind::Gaussdb => {
            "-- On Huawei Cloud GaussDB you may instead create the database in the console: choose\n\
             -- character set UTF8 there. The default SQL_ASCII breaks QA's scheduled import.\n\
             -- 在华为云 GaussDB 控制台创建数据库时，字符集请选择 UTF8。默认的 SQL_ASCII 会导致 QA 调度任务失败。\n"
        }
        DatabaseKind::Postgresql => {
            "-- If PostgreSQL answers that the encoding does not match the locale, add\n\
             -- LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' (or en_US.UTF-8) to the statement.\n\
             -- 如果 PostgreSQL 提示编码与区域设置不匹配，请在语句中加上 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'（或 en_US.UTF-8）。\n"
        }
    };
    format!(
        "-- {GENERATED_BY}
-- Quick Audience analysis-source database on {product} (seed §5.1).
-- QA 分析源数据库（{product}，见接入手册 §5.1）。
--
-- IMPORTANT: the encoding must be UTF8. The character encoding cannot be changed after the
-- database is created, so it must be specified now. SQL_ASCII fails on the Unicode text of WeCom
-- data and makes QA's scheduled tasks fail.
-- 重要：编码必须为 UTF8。数据库创建后无法修改字符编码，必须在创建时指定。SQL_ASCII 无法处理企业微信
-- 数据中的 Unicode 文本，会导致 QA 调度任务失败。
--
-- Run as a user allowed to create databases, connected to an existing database (e.g. postgres):
-- 以有建库权限的用户连接到已有数据库（如 postgres）后执行：
--   psql -h <host> -U <user> -d postgres -f create-analysis-db.sql
{console_note}
CREATE DATABASE {name} WITH ENCODING 'UTF8' TEMPLATE template0;

-- Check: the encoding of the new database must be UTF8 (never SQL_ASCII).
-- 检查：新数据库的编码必须是 UTF8（不能是 SQL_ASCII）。
SELECT datname, pg_encoding_to_char(encoding) AS encoding
  FROM pg_database
 WHERE datname = '{name}';
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_gives_the_script_for_the_kind_once_the_name_is_valid() {
        let pg = check(DatabaseKind::Postgresql, " qa_analysis\n");
        assert!(pg.issues.is_empty(), "{:?}", pg.issues);
        let sql = pg.sql.unwrap_or_default();
        assert!(
            sql.contains("CREATE DATABASE qa_analysis WITH ENCODING 'UTF8' TEMPLATE template0;")
        );
        assert!(sql.contains("PostgreSQL") && sql.contains("LC_COLLATE 'C.UTF-8'"));
        let gauss = check(DatabaseKind::Gaussdb, "qa_analysis")
            .sql
            .unwrap_or_default();
        assert!(gauss.contains("GaussDB") && gauss.contains("SQL_ASCII"));
        assert!(!gauss.contains("LC_COLLATE"));
    }

    #[test]
    fn check_refuses_a_name_that_needs_quoting_with_the_names_issue() {
        let bad = check(DatabaseKind::Postgresql, "qa; DROP DATABASE postgres");
        assert_eq!(bad.sql, None);
        assert_eq!(
            crate::validate::field_codes(&bad.issues),
            [(
                field::DATABASE_NAME,
                crate::validate::IssueCode::DatabaseNameInvalid
            )]
        );
        let empty = check(DatabaseKind::Gaussdb, "  ");
        assert_eq!(
            empty.issues[0].code,
            crate::validate::IssueCode::DatabaseNameMissing
        );
    }
}
