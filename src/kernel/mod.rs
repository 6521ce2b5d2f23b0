//! Rules every feature shares, written once: money, dates and times in the
//! programme's zone, bilingual text, links from the base URL, PDF documents,
//! forms with repeated fields and uploaded pictures. Features call these; none keeps a copy.

pub mod bilingual;
pub mod dates;
pub mod forms;
pub mod images;
pub mod links;
pub mod money;
pub mod pdf;
