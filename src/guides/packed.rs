//! Code lists (themes, sectors, sizes, territories, aid types…) stored packed
//! as ",a,b," so that `LIKE '%,a,%'` finds one code: packing, unpacking, the
//! text of a list in a form or an export, and the filters of public lists.
//! Shared by guides, funding schemes and testimonies.

use sqlx::any::AnyRow;

use crate::db::Db;

/// A list stored as ",a,b," (",": none).
pub fn pack(codes: &[String]) -> String {
    if codes.is_empty() {
        ",".into()
    } else {
        format!(",{},", codes.join(","))
    }
}

/// The codes of a packed list.
pub fn unpack(packed: &str) -> Vec<String> {
    packed
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A packed list as an export cell: "a,b".
pub fn export_text(packed: &str) -> String {
    unpack(packed).join(",")
}

/// A packed list as a form shows it: "a, b".
pub fn form_text(packed: &str) -> String {
    unpack(packed).join(", ")
}

/// `$from, $from+1, …` for `n` binds.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `SELECT … WHERE …` built from optional filters on packed lists, with
/// its text binds.
#[derive(Debug, Clone)]
pub struct Select {
    sql: String,
    binds: Vec<String>,
}

impl Select {
    /// `sql` ends with a WHERE clause that `binds` fill.
    pub fn new(sql: String, binds: Vec<String>) -> Select {
        Select { sql, binds }
    }

    fn bind(&mut self, value: String) -> usize {
        self.binds.push(value);
        self.binds.len()
    }

    /// `column` (packed) holds `code`; no filter when `code` is empty.
    pub fn holds(&mut self, column: &str, code: &str) -> &mut Self {
        if !code.is_empty() {
            let n = self.bind(format!("%,{code},%"));
            self.sql.push_str(&format!(" AND {column} LIKE ${n}"));
        }
        self
    }

    /// `column` (packed) is empty (it concerns every one) or holds one of
    /// `codes`; no filter when `codes` is empty.
    pub fn open_to(&mut self, column: &str, codes: &[String]) -> &mut Self {
        if !codes.is_empty() {
            let mut any = vec![format!("{column} = ','")];
            for c in codes {
                let n = self.bind(format!("%,{c},%"));
                any.push(format!("{column} LIKE ${n}"));
            }
            self.sql.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
        self
    }

    /// `column` (one code) is one of `codes`; no filter when `codes` is empty.
    pub fn within(&mut self, column: &str, codes: &[String]) -> &mut Self {
        if !codes.is_empty() {
            let start = self.binds.len() + 1;
            self.binds.extend(codes.iter().cloned());
            self.sql.push_str(&format!(
                " AND {column} IN ({})",
                placeholders(start, codes.len())
            ));
        }
        self
    }

    /// Every one of the folded `words` appears in `search_key`.
    pub fn words(&mut self, words: &[String]) -> &mut Self {
        for w in words {
            let n = self.bind(format!("%{}%", crate::text::like_escape(w)));
            self.sql
                .push_str(&format!(" AND search_key LIKE ${n} ESCAPE '\\'"));
        }
        self
    }

    /// The rows, in `order` (`ORDER BY …` and `LIMIT …`).
    pub async fn fetch<T>(&self, db: &Db, order: &str) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        let sql = format!("{} {order}", self.sql);
        let mut q = sqlx::query_as::<_, T>(&sql);
        for b in &self.binds {
            q = q.bind(b);
        }
        q.fetch_all(&db.pool).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_lists_round_trip() {
        let codes = vec!["a".to_string(), "b".to_string()];
        assert_eq!(pack(&codes), ",a,b,");
        assert_eq!(unpack(",a,b,"), codes);
        assert!(unpack(",").is_empty());
        assert_eq!(export_text(",a,b,"), "a,b");
        assert_eq!(form_text(",a,b,"), "a, b");
    }

    #[test]
    fn filters_number_their_binds() {
        let mut s = Select::new("SELECT x FROM t WHERE s = $1".into(), vec!["p".into()]);
        s.holds("themes", "web")
            .holds("sectors", "")
            .open_to("territories", &["FR".into()])
            .within("perimeter", &["FR".into(), "EU".into()]);
        assert_eq!(
            s.sql,
            "SELECT x FROM t WHERE s = $1 AND themes LIKE $2 AND (territories = ',' OR territories LIKE $3) AND perimeter IN ($4, $5)"
        );
        assert_eq!(s.binds.len(), 5);
    }
}
