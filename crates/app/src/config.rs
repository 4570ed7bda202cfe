//! The one typed configuration: defaults, then a TOML file, then `DANCHU_…`
//! environment variables, then command-line flags. Secrets never print.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A value that must not appear in logs or debug output.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"[redacted]\"")
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: String,
    /// Folder for the SQLite file, keys and backups.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `<data_dir>/danchu.sqlite3`.
    pub database_url: Secret,
    /// Public address of the site, used in e-mails and to decide whether
    /// cookies are marked Secure (https).
    pub public_url: String,
    /// Force the Secure flag on cookies (default: when public_url is https).
    pub cookie_secure: Option<bool>,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// Largest request body accepted, in bytes (uploads included).
    pub max_body_bytes: usize,
    /// Largest attachment of a disclosure, in bytes (each file; the request
    /// as a whole is bounded by `max_body_bytes`).
    pub max_attachment_bytes: usize,
    /// Working days to disclose after a decision (R1.3, R1.18: the Law says
    /// 5; a secondary source says 10 — spec §12 item 1 — so it is a setting).
    pub disclosure_deadline_working_days: u32,
    /// The village head's term in months (R5.8: 30 or 60, fixed by the
    /// province; Thanh Hóa's choice was not found and a 2026 decree said to
    /// fix 60 is unverified — so it is a setting).
    pub village_head_term_months: u32,
    /// Seconds before a request is cut off.
    pub request_timeout_secs: u64,
    /// Read-pool size.
    pub db_max_connections: u32,
    /// SQLite `synchronous`: FULL (default) or NORMAL.
    pub sqlite_synchronous: String,
    /// SQLite: group commit of submissions (comments, ballots), on unless 0.
    /// PostgreSQL always commits each submission on its own.
    pub db_group_writers: Option<u32>,
    /// Load the clearly labelled demo dataset when the database is empty.
    pub demo_data: bool,
    /// Log format: "text" or "json".
    pub log_format: String,
    /// Log filter (tracing EnvFilter syntax).
    pub log_level: String,
    /// Milliseconds between checks of the public-content version that
    /// invalidates cached public pages on every node (0 disables the cache).
    pub page_cache_poll_ms: u64,
    /// Run background jobs (outbox, imports) in this node.
    pub run_jobs: bool,
    /// Take the client address from X-Forwarded-For (only behind a trusted
    /// reverse proxy; otherwise clients could forge it).
    pub trust_forwarded_for: bool,
    /// Secret key file (32+ random bytes, hex); created on first start if
    /// missing. Every node of one deployment needs the same key.
    pub secret_key_file: Option<PathBuf>,
    /// The key itself (hex), instead of a file (e.g. from a secret store).
    pub secret_key: Secret,
    pub smtp: SmtpConfig,
    /// The disclosure category a community decision's result is published
    /// under (R2.21). R1.1 names no item for it, so it is a setting; default
    /// `xa-14`, "other items required by law".
    pub decision_result_category: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    /// SMTP host; empty disables sending (mail stays queued in the outbox).
    pub host: String,
    pub port: u16,
    pub username: String,
    pub password: Secret,
    pub from: String,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: 25,
            username: String::new(),
            password: Secret::default(),
            from: "danchu <no-reply@localhost>".into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("danchu-data"),
            database_url: Secret::default(),
            public_url: "http://127.0.0.1:8080".into(),
            cookie_secure: None,
            session_hours: 12,
            max_body_bytes: 20 * 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            disclosure_deadline_working_days: 5,
            village_head_term_months: 60,
            request_timeout_secs: 60,
            db_max_connections: 8,
            sqlite_synchronous: "FULL".into(),
            db_group_writers: None,
            demo_data: true,
            log_format: "text".into(),
            log_level: "info,sqlx=warn,tower_http=warn".into(),
            page_cache_poll_ms: 1000,
            run_jobs: true,
            trust_forwarded_for: false,
            secret_key_file: None,
            secret_key: Secret::default(),
            smtp: SmtpConfig::default(),
            decision_result_category: "xa-14".into(),
        }
    }
}

/// Environment variables read, with the config key each sets.
const ENV_KEYS: &[(&str, &str)] = &[
    ("DANCHU_LISTEN", "listen"),
    ("DANCHU_DATA_DIR", "data_dir"),
    ("DANCHU_DATABASE_URL", "database_url"),
    ("DANCHU_PUBLIC_URL", "public_url"),
    ("DANCHU_COOKIE_SECURE", "cookie_secure"),
    ("DANCHU_SESSION_HOURS", "session_hours"),
    ("DANCHU_MAX_BODY_BYTES", "max_body_bytes"),
    ("DANCHU_MAX_ATTACHMENT_BYTES", "max_attachment_bytes"),
    ("DANCHU_DISCLOSURE_DEADLINE_WORKING_DAYS", "disclosure_deadline_working_days"),
    ("DANCHU_VILLAGE_HEAD_TERM_MONTHS", "village_head_term_months"),
    ("DANCHU_REQUEST_TIMEOUT_SECS", "request_timeout_secs"),
    ("DANCHU_DB_MAX_CONNECTIONS", "db_max_connections"),
    ("DANCHU_SQLITE_SYNCHRONOUS", "sqlite_synchronous"),
    ("DANCHU_DB_GROUP_WRITERS", "db_group_writers"),
    ("DANCHU_DEMO_DATA", "demo_data"),
    ("DANCHU_LOG_FORMAT", "log_format"),
    ("DANCHU_LOG_LEVEL", "log_level"),
    ("DANCHU_PAGE_CACHE_POLL_MS", "page_cache_poll_ms"),
    ("DANCHU_RUN_JOBS", "run_jobs"),
    ("DANCHU_TRUST_FORWARDED_FOR", "trust_forwarded_for"),
    ("DANCHU_SECRET_KEY_FILE", "secret_key_file"),
    ("DANCHU_SECRET_KEY", "secret_key"),
    ("DANCHU_SMTP_HOST", "smtp.host"),
    ("DANCHU_SMTP_PORT", "smtp.port"),
    ("DANCHU_SMTP_USERNAME", "smtp.username"),
    ("DANCHU_SMTP_PASSWORD", "smtp.password"),
    ("DANCHU_SMTP_FROM", "smtp.from"),
    ("DANCHU_DECISION_RESULT_CATEGORY", "decision_result_category"),
];

/// Which keys hold numbers or booleans (environment values are strings).
fn typed_value(key: &str, raw: &str) -> Result<toml::Value, String> {
    let num = [
        "session_hours",
        "max_body_bytes",
        "max_attachment_bytes",
        "disclosure_deadline_working_days",
        "village_head_term_months",
        "request_timeout_secs",
        "db_max_connections",
        "db_group_writers",
        "page_cache_poll_ms",
        "smtp.port",
    ];
    let boolean = ["cookie_secure", "demo_data", "run_jobs", "trust_forwarded_for"];
    if num.contains(&key) {
        raw.trim().parse::<i64>().map(toml::Value::Integer).map_err(|_| format!("{key}: expected a number, got {raw:?}"))
    } else if boolean.contains(&key) {
        match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "0" | "false" | "no" | "off" => Ok(toml::Value::Boolean(false)),
            _ => Err(format!("{key}: expected true or false, got {raw:?}")),
        }
    } else {
        Ok(toml::Value::String(raw.to_string()))
    }
}

fn set_path(table: &mut toml::Table, key: &str, value: toml::Value) {
    match key.split_once('.') {
        Some((head, rest)) => {
            let entry = table.entry(head.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(t) = entry {
                set_path(t, rest, value);
            }
        }
        None => {
            table.insert(key.to_string(), value);
        }
    }
}

impl Config {
    /// Loads the layers: defaults ← `file` (if given, or `DANCHU_CONFIG`) ←
    /// environment (`env` lets tests pass their own) ← `overrides`.
    pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>, overrides: &[(&str, toml::Value)]) -> Result<Config, String> {
        let mut table = toml::Table::new();
        let file = file.map(Path::to_path_buf).or_else(|| env("DANCHU_CONFIG").map(PathBuf::from));
        if let Some(path) = file {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            table = text.parse::<toml::Table>().map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for (var, key) in ENV_KEYS {
            if let Some(v) = env(var) {
                set_path(&mut table, key, typed_value(key, &v)?);
            }
        }
        for (key, v) in overrides {
            set_path(&mut table, key, v.clone());
        }
        let cfg: Config = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| e.to_string())?;
        cfg.check()?;
        Ok(cfg)
    }

    fn check(&self) -> Result<(), String> {
        self.listen.parse::<std::net::SocketAddr>().map_err(|_| format!("listen: {:?} is not ADDRESS:PORT", self.listen))?;
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err("log_format must be \"text\" or \"json\"".into());
        }
        let url = &self.database_url.0;
        if !url.is_empty() && !url.starts_with("sqlite:") && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err("database_url must start with sqlite: or postgres://".into());
        }
        Ok(())
    }

    /// The database URL, defaulting to the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.0.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("danchu.sqlite3").display())
        } else {
            self.database_url.0.clone()
        }
    }

    pub fn cookies_secure(&self) -> bool {
        self.cookie_secure.unwrap_or_else(|| self.public_url.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn layers_apply_in_order_defaults_file_env_flags() {
        let dir = std::env::temp_dir().join(format!("danchu-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("danchu.toml");
        std::fs::write(&f, "listen = \"127.0.0.1:9000\"\nsession_hours = 4\n[smtp]\nhost = \"mail.local\"\n").unwrap();
        let env = env_of(&[("DANCHU_SESSION_HOURS", "6"), ("DANCHU_SMTP_PORT", "2525")]);
        let c = Config::load(Some(&f), &env, &[("data_dir", toml::Value::String("/srv/d".into()))]).unwrap();
        assert_eq!(c.listen, "127.0.0.1:9000");
        assert_eq!(c.session_hours, 6);
        assert_eq!(c.smtp.host, "mail.local");
        assert_eq!(c.smtp.port, 2525);
        assert_eq!(c.data_dir, PathBuf::from("/srv/d"));
        assert_eq!(c.request_timeout_secs, 60);
    }

    #[test]
    fn bad_values_are_refused_with_the_key_named() {
        let e = Config::load(None, &env_of(&[("DANCHU_SESSION_HOURS", "many")]), &[]).unwrap_err();
        assert!(e.contains("session_hours"), "{e}");
        let e = Config::load(None, &env_of(&[("DANCHU_LISTEN", "nowhere")]), &[]).unwrap_err();
        assert!(e.contains("listen"), "{e}");
        let e = Config::load(None, &env_of(&[("DANCHU_DATABASE_URL", "mysql://x")]), &[]).unwrap_err();
        assert!(e.contains("database_url"), "{e}");
    }

    #[test]
    fn secrets_do_not_print_and_default_url_is_sqlite_in_data_dir() {
        let c = Config::load(None, &env_of(&[("DANCHU_SMTP_PASSWORD", "hunter22")]), &[]).unwrap();
        assert!(!format!("{c:?}").contains("hunter22"));
        assert!(c.database_url().starts_with("sqlite://danchu-data/danchu.sqlite3"));
        assert!(!c.cookies_secure());
    }
}
