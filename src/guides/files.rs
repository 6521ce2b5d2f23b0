//! Guides in and out as Markdown files with front matter: the import used by
//! the demo seed, the CLI and the staff page, and the export to a folder.

use std::path::Path;

use super::model::{parse_file, FileError, GuideForm};
use super::store::{self, Saved};
use crate::db::Db;
use crate::web::forms::Violations;

/// What went wrong with one file.
#[derive(Debug, Clone)]
pub enum Problem {
    /// The file is not a guide file.
    File(FileError),
    /// The guide it holds is not valid.
    Fields(Violations),
    /// Its slug is another guide's (only when it cannot be matched).
    SlugTaken,
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    /// File name and its problem; other files were still imported.
    pub rejected: Vec<(String, Problem)>,
}

/// Check and store one guide form; a guide of the same slug gets a new version.
pub async fn save_form(
    db: &Db,
    form: &GuideForm,
    by: Option<i64>,
) -> anyhow::Result<Result<Saved, Problem>> {
    let (themes, sectors, territories) = form.named();
    let known = store::known(db, &themes, &sectors, &territories).await?;
    let valid = match form.parse(&known) {
        Ok(v) => v,
        Err(v) => return Ok(Err(Problem::Fields(v))),
    };
    Ok(match store::upsert(db, &valid, by).await? {
        Saved::SlugTaken | Saved::Stale => Err(Problem::SlugTaken),
        s => Ok(s),
    })
}

/// Import guide files (name, text): good files are stored, bad ones reported.
pub async fn import(
    db: &Db,
    files: &[(String, String)],
    by: Option<i64>,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    for (name, text) in files {
        let form = match parse_file(text) {
            Ok(f) => f,
            Err(e) => {
                report.rejected.push((name.clone(), Problem::File(e)));
                continue;
            }
        };
        match save_form(db, &form, by).await? {
            Ok(Saved::Created(_)) => report.created += 1,
            Ok(_) => report.updated += 1,
            Err(p) => report.rejected.push((name.clone(), p)),
        }
    }
    Ok(report)
}

/// The `.md` files of a folder, sorted by name.
pub fn read_folder(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut files = vec![];
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("md") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            files.push((name, std::fs::read_to_string(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// Write every guide as `<slug>.md` in `dir`; returns how many.
pub async fn export(db: &Db, dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let guides = store::all(db).await?;
    for g in &guides {
        std::fs::write(
            dir.join(format!("{}.md", g.slug)),
            super::model::to_file(&g.to_valid()),
        )?;
    }
    Ok(guides.len())
}

/// A problem in plain English, for the command line.
pub fn describe(p: &Problem) -> String {
    match p {
        Problem::File(FileError::NoFrontMatter) => "no --- front matter at the top".into(),
        Problem::File(FileError::BadLine(n)) => {
            format!("line {n}: not a known `key: value` front matter line")
        }
        Problem::File(FileError::NoEnglish) => {
            format!(
                "no `{}` line before the English text",
                super::model::ENGLISH_MARK
            )
        }
        Problem::Fields(v) => format!(
            "invalid fields: {}",
            v.0.iter().map(|x| x.field).collect::<Vec<_>>().join(", ")
        ),
        Problem::SlugTaken => "its slug belongs to another guide".into(),
    }
}
