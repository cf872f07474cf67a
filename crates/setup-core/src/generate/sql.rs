//! `database/create-analysis-db.sql`: the QA analysis-source database with UTF8 encoding, for
//! GaussDB or PostgreSQL (seed §5.1), and the query that proves the encoding afterwards.

use super::GENERATED_BY;
use crate::plan::DatabaseKind;
use crate::validate::CheckedPlan;

/// The SQL script for the plan's database kind and name.
pub fn create_database_sql(plan: &CheckedPlan) -> String {
    let name = plan.database_name.as_str();
    let product = plan.database_kind.display_name();
    let console_note = match plan.database_kind {
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
